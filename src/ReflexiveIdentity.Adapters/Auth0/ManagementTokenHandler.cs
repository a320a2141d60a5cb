using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace ReflexiveIdentity.Adapters.Auth0;

/// <summary>
/// Puts the Management API token on each attempt. When Auth0 answers 401 (the token was revoked or the
/// tenant's keys rotated before it expired) the cached token is dropped and the request is sent once
/// more with a fresh one; a second 401 for the same request is returned as it is.
/// </summary>
internal sealed class ManagementTokenHandler(ClientCredentialsTokenProvider tokens, ILogger<ManagementTokenHandler> logger) : DelegatingHandler
{
    private static readonly HttpRequestOptionsKey<bool> Refreshed = new("ReflexiveIdentity.Auth0.TokenRefreshed");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized
            || (request.Options.TryGetValue(Refreshed, out var done) && done))
        {
            return response;
        }

        Auth0Log.TokenRejected(logger, request.Method.Method, request.RequestUri?.AbsolutePath ?? "?");
        response.Dispose();
        request.Options.Set(Refreshed, true);
        tokens.Invalidate(token);
        var fresh = await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fresh);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
