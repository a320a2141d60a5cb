using Microsoft.Extensions.Configuration;

namespace ReflexiveIdentity.Http.Settings;

/// <summary>
/// The Auth0 tenant (<c>Auth0__Domain</c> or <c>Auth0__Authority</c>, <c>Auth0__Audience</c>). Without
/// them the Auth0-facing parts are off: admin routes answer 503 naming these settings.
/// </summary>
public sealed record Auth0Settings
{
    /// <summary>The tenant's base URL with a trailing slash (also the expected <c>iss</c>), or null when not configured.</summary>
    public Uri? Authority { get; init; }

    /// <summary>The API identifier tokens must be issued for, or null when not configured.</summary>
    public string? Audience { get; init; }

    /// <summary>The Management API client (<c>Auth0__ManagementClientId</c>), or null.</summary>
    public string? ManagementClientId { get; init; }

    /// <summary>Its secret (<c>Auth0__ManagementClientSecret</c>); never logged.</summary>
    public string? ManagementClientSecret { get; init; }

    /// <summary>True when tokens can be validated.</summary>
    public bool IsConfigured => Authority is not null && Audience is not null;

    /// <summary>True when trust scores and quarantines can be written to Auth0.</summary>
    public bool CanManage => IsConfigured && ManagementClientId is not null && ManagementClientSecret is not null;

    /// <summary>The settings to set to turn token validation on.</summary>
    public static string MissingSettingsMessage =>
        "set Auth0__Domain (or Auth0__Authority for a local tenant such as `reflexive auth0-emulator`) and Auth0__Audience";

    internal static Auth0Settings Read(IConfiguration configuration, List<string> problems)
    {
        var domain = ServiceSettings.Blank(configuration["Auth0:Domain"]);
        var authority = ServiceSettings.Blank(configuration["Auth0:Authority"]);
        var audience = ServiceSettings.Blank(configuration["Auth0:Audience"]);
        Uri? baseUri = null;
        if (authority is not null)
        {
            if (!Uri.TryCreate(authority.EndsWith('/') ? authority : authority + "/", UriKind.Absolute, out baseUri)
                || (baseUri.Scheme != Uri.UriSchemeHttps && !(baseUri.Scheme == Uri.UriSchemeHttp && baseUri.IsLoopback)))
            {
                problems.Add($"Auth0__Authority '{authority}' must be an https URL (or http on loopback for a local tenant), e.g. https://your-tenant.eu.auth0.com/.");
                baseUri = null;
            }
        }
        else if (domain is not null)
        {
            if (domain.Contains("://", StringComparison.Ordinal) || domain.Contains('/', StringComparison.Ordinal)
                || !Uri.TryCreate($"https://{domain}/", UriKind.Absolute, out baseUri))
            {
                problems.Add($"Auth0__Domain '{domain}' must be a host name such as your-tenant.eu.auth0.com (no scheme, no path).");
                baseUri = null;
            }
        }

        if ((domain is not null || authority is not null) && audience is null)
        {
            problems.Add("Auth0__Audience is required with Auth0__Domain/Auth0__Authority: the API identifier, e.g. https://reflexive-identity/agents.");
        }

        if (audience is not null && domain is null && authority is null)
        {
            problems.Add("Auth0__Audience is set but neither Auth0__Domain nor Auth0__Authority is: name the tenant too.");
        }

        var managementId = ServiceSettings.Blank(configuration["Auth0:ManagementClientId"]);
        var managementSecret = ServiceSettings.Blank(configuration["Auth0:ManagementClientSecret"]);
        if ((managementId is null) != (managementSecret is null))
        {
            problems.Add("Auth0__ManagementClientId and Auth0__ManagementClientSecret go together: set both (the M2M client the service writes to Auth0 with) or neither.");
        }

        if (managementSecret?.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase) == true)
        {
            problems.Add("Auth0__ManagementClientSecret is an unresolved Key Vault reference: grant the app's identity 'Key Vault Secrets User' and check the secret URI.");
        }

        return new Auth0Settings
        {
            Authority = baseUri,
            Audience = baseUri is null ? null : audience,
            ManagementClientId = managementId,
            ManagementClientSecret = managementSecret,
        };
    }
}
