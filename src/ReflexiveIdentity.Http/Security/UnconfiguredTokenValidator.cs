using ReflexiveIdentity.Http.Settings;
using ReflexiveIdentity.Tokens;

namespace ReflexiveIdentity.Http.Security;

/// <summary>Stands in for token validation when no Auth0 tenant is configured: every token is refused, saying why.</summary>
internal sealed class UnconfiguredTokenValidator : IAccessTokenValidator
{
    public Task<TokenValidation> ValidateAsync(string token, CancellationToken cancellationToken) =>
        Task.FromResult(TokenValidation.Refused($"Token validation is off: {Auth0Settings.MissingSettingsMessage}."));
}
