using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using ReflexiveIdentity.Http.Settings;
using ReflexiveIdentity.Tokens;

namespace ReflexiveIdentity.Http.Endpoints;

/// <summary>
/// Admits admin requests: an Auth0 access token for this API with <c>reflexive:admin</c>. A refused
/// request is recorded and answered here.
/// </summary>
public sealed class AdminGate(ServiceSettings settings, ScopeAuthorizer authorizer, RejectionResponder rejections)
{
    /// <summary>The scope every admin route needs.</summary>
    public const string AdminScope = "reflexive:admin";

    /// <summary>The operator's token when the request may go on; null when the rejection has been written.</summary>
    public async Task<AccessToken?> AdmitAsync(HttpContext context, string route, CancellationToken cancellationToken)
    {
        if (!settings.Auth0.IsConfigured)
        {
            await rejections.RejectAsync(context, route, Problems.Problems.Auth0NotConfigured(), null, null, null, cancellationToken).ConfigureAwait(false);
            return null;
        }

        var authorization = await authorizer.AuthorizeAsync(BearerToken(context.Request), AdminScope, cancellationToken).ConfigureAwait(false);
        if (authorization.IsAuthorized)
        {
            return authorization.Token;
        }

        var problem = authorization.Code switch
        {
            ScopeAuthorizationCode.TokenMissing => Problems.Problems.TokenMissing(),
            ScopeAuthorizationCode.TokenInvalid => Problems.Problems.TokenInvalid(authorization.Detail),
            _ => Problems.Problems.InsufficientScope(AdminScope, authorization.Detail),
        };
        context.Response.Headers[HeaderNames.WWWAuthenticate] = problem.Status == StatusCodes.Status403Forbidden
            ? $"Bearer error=\"insufficient_scope\", scope=\"{AdminScope}\""
            : "Bearer error=\"invalid_token\"";
        await rejections.RejectAsync(context, route, problem, null, null, null, cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>The bearer token of the request, or null.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : null;
    }
}
