using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ReflexiveIdentity.Auth0Emulation.Actions;
using ReflexiveIdentity.Auth0Emulation.Emulator;
using ReflexiveIdentity.Auth0Emulation.Tenant;

namespace ReflexiveIdentity.Auth0Emulation.Tokens;

/// <summary>The body of a successful <c>POST /oauth/token</c>.</summary>
internal sealed record TokenResponse(string AccessToken, string? IdToken, string Scope, int ExpiresIn, string TokenType = "Bearer");

/// <summary>
/// <c>POST /oauth/token</c>: the client-credentials grant (credentials-exchange Actions) and the
/// refresh-token grant (post-login Actions), answered like Auth0's Authentication API.
/// </summary>
internal sealed class TokenEndpoint(
    TenantState tenant,
    TokenIssuer issuer,
    ActionRunner actions,
    ActionSecrets secrets,
    CallStats stats,
    ILogger<TokenEndpoint> logger)
{
    public async Task<IResult> HandleAsync(HttpContext http)
    {
        var cancellationToken = http.RequestAborted;
        var (request, error) = await TokenRequest.ReadAsync(http.Request, cancellationToken).ConfigureAwait(false);
        if (request is null)
        {
            return Refuse(http, "unknown", null, error!);
        }

        var grantType = request.GrantType;
        if (grantType is null)
        {
            return Refuse(http, "unknown", request.ClientId, OAuthError.MissingParameter("grant_type"));
        }

        stats.CountToken(grantType);
        if (grantType is not ("client_credentials" or "refresh_token"))
        {
            return Refuse(http, grantType, request.ClientId, new OAuthError(StatusCodes.Status400BadRequest, "unsupported_grant_type", $"Unsupported grant type: {grantType}"));
        }

        if (request.ClientId is null)
        {
            return Refuse(http, grantType, null, OAuthError.MissingParameter("client_id"));
        }

        var client = tenant.FindClient(request.ClientId);
        if (client is null || (client.Secret is not null && !OAuthError.SecretsMatch(client.Secret, request.ClientSecret)))
        {
            return Refuse(http, grantType, request.ClientId, OAuthError.BadClientCredentials());
        }

        if (!client.GrantTypes.Contains(grantType, StringComparer.Ordinal))
        {
            return Refuse(http, grantType, client.ClientId, new OAuthError(StatusCodes.Status403Forbidden, "unauthorized_client", $"Grant type '{grantType}' not allowed for the client."));
        }

        var (response, refusal) = grantType == "client_credentials"
            ? await ClientCredentialsAsync(http, request, client, cancellationToken).ConfigureAwait(false)
            : await RefreshTokenAsync(http, request, client, cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            return Refuse(http, grantType, client.ClientId, refusal);
        }

        OAuthError.NoStore(http.Response);
        return TypedResults.Json(response!, EmulatorJsonContext.Default.TokenResponse);
    }

    private async Task<(TokenResponse?, OAuthError?)> ClientCredentialsAsync(HttpContext http, TokenRequest request, ClientView client, CancellationToken cancellationToken)
    {
        var audience = request.Get("audience") ?? tenant.DefaultAudience;
        if (audience is null)
        {
            return (null, OAuthError.AccessDenied("No audience parameter was provided, and no default audience has been configured"));
        }

        if (tenant.FindApi(audience) is null)
        {
            return (null, OAuthError.AccessDenied($"Service not found: {audience}"));
        }

        var grants = tenant.ListClientGrants(client.ClientId, audience);
        var grant = grants.Count > 0 ? grants[0] : null;
        if (grant is null)
        {
            return (null, OAuthError.AccessDenied(
                $"Client is not authorized to access \"{audience}\". You need to create a \"client-grant\" associated to this API. See: https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants"));
        }

        var requested = TokenScopes.Split(request.Get("scope"));
        IReadOnlyList<string> scopes = requested.Count == 0 ? grant.Scope : [.. grant.Scope.Where(requested.Contains)];

        var actionEvent = ActionEvents.ForClientCredentials(tenant.Name, client, audience, requested, scopes, request.ToActionBody(), http, secrets.Values);
        var outcome = await actions.RunAsync(ActionEvents.CredentialsExchange, actionEvent, new ActionRunContext(client.ClientId, null, audience), cancellationToken).ConfigureAwait(false);
        if (outcome.Failure is not null)
        {
            return (null, OAuthError.ActionFailed());
        }

        if (outcome.Denied is { } denied)
        {
            return (null, OAuthError.FromCredentialsExchangeDeny(denied.Code, denied.Reason));
        }

        var finalScopes = outcome.ApplyScopes(scopes);
        var accessToken = issuer.IssueAccessToken(new AccessTokenContent(
            $"{client.ClientId}@clients", audience, client.ClientId, finalScopes, "client-credentials", outcome.AccessTokenClaims));
        logger.TokenIssued("client_credentials", client.ClientId, audience);
        return (new TokenResponse(accessToken, null, TokenScopes.Join(finalScopes), issuer.LifetimeSeconds), null);
    }

    private async Task<(TokenResponse?, OAuthError?)> RefreshTokenAsync(HttpContext http, TokenRequest request, ClientView client, CancellationToken cancellationToken)
    {
        var refreshToken = request.Get("refresh_token");
        if (refreshToken is null)
        {
            return (null, OAuthError.MissingParameter("refresh_token"));
        }

        var token = tenant.FindRefreshToken(refreshToken);
        var user = token is null ? null : tenant.FindUser(token.UserId);
        if (token is null || user is null || token.ClientId != client.ClientId)
        {
            return (null, OAuthError.InvalidRefreshToken());
        }

        // A refresh token keeps the audience it was issued for; the request may only narrow its scopes.
        var requested = request.Get("scope") is { } scope ? TokenScopes.Split(scope) : [.. token.Scope];
        var scopes = requested
            .Where(s => TokenScopes.IsOidc(s)
                || (token.Scope.Contains(s, StringComparer.Ordinal) && user.Permissions.Contains(new Permission(token.Audience, s))))
            .ToList();

        var actionEvent = ActionEvents.ForRefreshToken(tenant.Name, user, client, token.Audience, requested, request.ToActionBody(), http, secrets.Values);
        var outcome = await actions.RunAsync(ActionEvents.PostLogin, actionEvent, new ActionRunContext(client.ClientId, user.UserId, token.Audience), cancellationToken).ConfigureAwait(false);
        if (outcome.Failure is not null)
        {
            return (null, OAuthError.ActionFailed());
        }

        if (outcome.Denied is { } denied)
        {
            return (null, OAuthError.AccessDenied(denied.Reason.Length > 0 ? denied.Reason : "Access denied."));
        }

        tenant.SetAppMetadata(user.UserId, outcome.AppMetadata);
        var finalScopes = outcome.ApplyScopes(scopes);
        var accessToken = issuer.IssueAccessToken(new AccessTokenContent(
            user.UserId, token.Audience, client.ClientId, finalScopes, null, outcome.AccessTokenClaims));
        var idToken = finalScopes.Contains("openid")
            ? issuer.IssueIdToken(user.UserId, client.ClientId, Profile(user, finalScopes), outcome.IdTokenClaims)
            : null;
        logger.TokenIssued("refresh_token", client.ClientId, token.Audience);
        return (new TokenResponse(accessToken, idToken, TokenScopes.Join(finalScopes), issuer.LifetimeSeconds), null);
    }

    private static Dictionary<string, object> Profile(UserView user, IReadOnlyList<string> scopes)
    {
        var profile = new Dictionary<string, object>(StringComparer.Ordinal);
        if (scopes.Contains("profile") && user.Name is not null)
        {
            profile["name"] = user.Name;
            profile["nickname"] = user.Name;
            profile["updated_at"] = UserJson.Timestamp(user.UpdatedAt);
        }

        if (scopes.Contains("email") && user.Email is not null)
        {
            profile["email"] = user.Email;
            profile["email_verified"] = true;
        }

        return profile;
    }

    private IResult Refuse(HttpContext http, string grantType, string? clientId, OAuthError error)
    {
        logger.TokenRefused(grantType, clientId, error.Error);
        return error.ToResult(http.Response);
    }
}
