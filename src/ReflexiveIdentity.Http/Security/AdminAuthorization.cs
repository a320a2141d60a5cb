using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ReflexiveIdentity.Http.Security;

/// <summary>
/// Interim admin auth: <c>Authorization: Bearer &lt;Admin__ApiKey&gt;</c>, compared in constant time. It is
/// replaced by Auth0 access tokens with <c>reflexive:admin</c> once token validation lands.
/// </summary>
public sealed class AdminAuthorization(string? apiKey)
{
    private readonly byte[]? key = apiKey is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));

    /// <summary>False when no admin key is configured: admin routes are off.</summary>
    public bool IsConfigured => key is not null;

    /// <summary>Whether the request carries the admin key.</summary>
    public bool IsAuthorized(HttpRequest request)
    {
        if (key is null)
        {
            return false;
        }

        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Hash both sides so the comparison is constant-time regardless of length.
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, key);
    }
}
