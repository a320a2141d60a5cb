using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using ReflexiveIdentity.Auth0Emulation.Seed;

namespace ReflexiveIdentity.Auth0Emulation;

/// <summary>
/// The tenant's issuer, known only once Kestrel has bound its port: <c>http://127.0.0.1:PORT/</c>,
/// with the trailing slash Auth0 issuers have.
/// </summary>
internal sealed class TenantAddress(IServer server)
{
    private string? _issuer;

    public string Issuer => _issuer ??= Resolve();

    public string ManagementAudience => Issuer + "api/v2/";

    public string TokenEndpoint => Issuer + "oauth/token";

    public string JwksUri => Issuer + ".well-known/jwks.json";

    /// <summary>Replaces <see cref="TenantSeed.IssuerKeyword"/> in a seeded audience.</summary>
    public string Expand(string audience) =>
        audience.Contains(TenantSeed.IssuerKeyword, StringComparison.Ordinal)
            ? audience.Replace(TenantSeed.IssuerKeyword, Issuer, StringComparison.Ordinal)
            : audience;

    private string Resolve()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The Auth0 emulator has no address yet: start it first.");
        var uri = new Uri(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal));
        if (uri.Port == 0)
        {
            throw new InvalidOperationException("The Auth0 emulator has not bound its port yet: start it first.");
        }

        // A wildcard bind is still reached on loopback; the issuer must be one fixed URL.
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "127.0.0.1" : uri.Host;
        return new UriBuilder(uri.Scheme, host, uri.Port, "/").Uri.AbsoluteUri;
    }
}
