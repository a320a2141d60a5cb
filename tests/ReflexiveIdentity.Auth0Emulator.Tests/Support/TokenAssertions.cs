using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace ReflexiveIdentity.Auth0Emulation.Tests.Support;

/// <summary>Validates emulator tokens the way a resource server does: keys from the JWKS via discovery.</summary>
internal static class TokenAssertions
{
    public static async Task<JsonWebToken> ValidateAsync(EmulatorHost emulator, string token, string audience, TimeProvider? time = null)
    {
        var manager = new ConfigurationManager<OpenIdConnectConfiguration>(
            emulator.Issuer + ".well-known/openid-configuration",
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever(emulator.Http) { RequireHttps = false });
        var config = await manager.GetConfigurationAsync(CancellationToken.None);
        var now = (time ?? TimeProvider.System).GetUtcNow().UtcDateTime;
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = emulator.Issuer,
            ValidAudience = audience,
            IssuerSigningKeys = config.SigningKeys,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            LifetimeValidator = (_, expires, _, _) => expires > now,
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        return (JsonWebToken)result.SecurityToken;
    }

    public static IReadOnlyList<string> Scopes(JsonWebToken token) =>
        token.GetClaim("scope").Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
