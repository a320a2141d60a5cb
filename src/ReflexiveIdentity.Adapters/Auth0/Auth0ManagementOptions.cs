using System.ComponentModel.DataAnnotations;

namespace ReflexiveIdentity.Adapters.Auth0;

/// <summary>
/// Where the Auth0 tenant is and how the service signs in to its Management API (settings
/// <c>Auth0__Authority</c> or <c>https://{Auth0__Domain}/</c>, <c>Auth0__ManagementClientId</c>,
/// <c>Auth0__ManagementClientSecret</c>, <c>Auth0__Audience</c>).
/// </summary>
public sealed class Auth0ManagementOptions
{
    /// <summary>The tenant's issuer with a trailing slash: <c>https://{domain}/</c>, or a loopback emulator's <c>http://127.0.0.1:PORT/</c>.</summary>
    [Required]
    public required Uri Authority { get; init; }

    /// <summary>The client id of the M2M application authorized for the Management API.</summary>
    [Required]
    public required string ClientId { get; init; }

    /// <summary>That application's secret. Never logged.</summary>
    [Required]
    public required string ClientSecret { get; init; }

    /// <summary>The identifier of the agents API whose permissions and client grants are revoked and restored, e.g. <c>https://reflexive-identity/agents</c>.</summary>
    [Required]
    public required string Audience { get; init; }

    /// <summary>Retries, delays and the per-attempt timeout for both the token endpoint and the Management API.</summary>
    [Required]
    public Auth0RetryOptions Retry { get; init; } = new();

    /// <summary>The Management API's base address and audience: <c>{Authority}api/v2/</c>.</summary>
    public Uri ManagementApi => new(Authority, "api/v2/");

    /// <summary>The token endpoint: <c>{Authority}oauth/token</c>.</summary>
    public Uri TokenEndpoint => new(Authority, "oauth/token");

    /// <summary>Checks every setting and throws one <see cref="ValidationException"/> naming all that are wrong.</summary>
    public void Validate()
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true);
        if (Retry is not null)
        {
            Validator.TryValidateObject(Retry, new ValidationContext(Retry), results, validateAllProperties: true);
        }

        if (Authority is { } authority)
        {
            if (!authority.IsAbsoluteUri || !authority.AbsolutePath.EndsWith('/') || authority.Query.Length > 0)
            {
                results.Add(new ValidationResult(
                    $"Authority '{authority}' must be an absolute URL ending in '/' with no query, e.g. https://your-tenant.eu.auth0.com/ (set Auth0__Authority, or Auth0__Domain).",
                    [nameof(Authority)]));
            }
            else if (authority.Scheme != Uri.UriSchemeHttps && !(authority.Scheme == Uri.UriSchemeHttp && authority.IsLoopback))
            {
                results.Add(new ValidationResult(
                    $"Authority '{authority}' must use https; plain http is only accepted for a loopback emulator.",
                    [nameof(Authority)]));
            }
        }

        if (results.Count > 0)
        {
            throw new ValidationException(
                "The Auth0 Management settings are not usable: " + string.Join(" ", results.Select(r => r.ErrorMessage)));
        }
    }
}
