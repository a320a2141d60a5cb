using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using ReflexiveIdentity.Auth0Emulation.Tests.Support;

namespace ReflexiveIdentity.Auth0Emulation.Tests;

public sealed class DiscoveryTests
{
    [Fact]
    public async Task OpenIdConfiguration_Served_NamesIssuerWithTrailingSlashAndEndpoints()
    {
        await using var emulator = await EmulatorHost.StartAsync(o => o.Seed = TestSeeds.WithoutActions());

        var config = await emulator.GetJsonAsync(".well-known/openid-configuration");

        Assert.Matches(@"^http://127\.0\.0\.1:\d+/$", emulator.Issuer);
        Assert.Equal(emulator.Issuer, config["issuer"]!.GetValue<string>());
        Assert.Equal(emulator.Issuer + ".well-known/jwks.json", config["jwks_uri"]!.GetValue<string>());
        Assert.Equal(emulator.Issuer + "oauth/token", config["token_endpoint"]!.GetValue<string>());
        Assert.Contains("RS256", config["id_token_signing_alg_values_supported"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    [Fact]
    public async Task Jwks_Served_HasOneRs256SigningKey()
    {
        await using var emulator = await EmulatorHost.StartAsync(o => o.Seed = TestSeeds.WithoutActions());

        var jwks = await emulator.GetJsonAsync(".well-known/jwks.json");

        var key = Assert.Single(jwks["keys"]!.AsArray())!;
        Assert.Equal("RSA", key["kty"]!.GetValue<string>());
        Assert.Equal("sig", key["use"]!.GetValue<string>());
        Assert.Equal("RS256", key["alg"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(key["kid"]!.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(key["n"]!.GetValue<string>()));
        Assert.Equal("AQAB", key["e"]!.GetValue<string>());
        Assert.Null(key["d"]);
    }

    [Fact]
    public async Task OpenIdConfiguration_ReadByIdentityModel_YieldsSigningKey()
    {
        await using var emulator = await EmulatorHost.StartAsync(o => o.Seed = TestSeeds.WithoutActions());
        var manager = new ConfigurationManager<OpenIdConnectConfiguration>(
            emulator.Issuer + ".well-known/openid-configuration",
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever(emulator.Http) { RequireHttps = false });

        var config = await manager.GetConfigurationAsync(CancellationToken.None);

        Assert.Equal(emulator.Issuer, config.Issuer);
        Assert.Single(config.SigningKeys);
    }
}
