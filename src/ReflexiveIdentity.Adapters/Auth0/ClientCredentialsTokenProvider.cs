using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace ReflexiveIdentity.Adapters.Auth0;

/// <summary>
/// The Management API token of the service's M2M client (client credentials, audience
/// <c>{Authority}api/v2/</c>). The token is reused until shortly before it expires: 60 s early, or a
/// tenth of its lifetime when that is shorter. When it must be fetched, every caller waiting at that
/// moment shares one request to the token endpoint (single flight). Tokens and the secret are never logged.
/// </summary>
public sealed class ClientCredentialsTokenProvider : IDisposable
{
    /// <summary>The name of the HttpClient (with the Auth0 resilience pipeline) that calls the token endpoint.</summary>
    public const string HttpClientName = "ReflexiveIdentity.Auth0.Token";

    private const string Operation = "POST oauth/token";
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromSeconds(60);

    private readonly IHttpClientFactory httpClients;
    private readonly Auth0ManagementOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private readonly CancellationTokenSource disposed = new();
    private CachedToken? current;
    private Task<CachedToken>? refresh;

    /// <summary>Creates the provider; the token endpoint is called through <see cref="HttpClientName"/>.</summary>
    public ClientCredentialsTokenProvider(IHttpClientFactory httpClients, Auth0ManagementOptions options, TimeProvider time, ILogger<ClientCredentialsTokenProvider> logger)
    {
        this.httpClients = httpClients;
        this.options = options;
        this.time = time;
        this.logger = logger;
    }

    /// <summary>
    /// A valid Management API token: the cached one, or the result of the one refresh in flight, or a new
    /// refresh. Cancelling stops this caller's wait, not a refresh other callers share.
    /// </summary>
    /// <exception cref="Auth0ApiException">The token endpoint refused the credentials or could not be reached.</exception>
    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource<CachedToken>? leader = null;
        Task<CachedToken> pending;
        lock (gate)
        {
            if (current is { } cached && time.GetUtcNow() < cached.RefreshAt)
            {
                return cached.AccessToken;
            }

            if (refresh is null)
            {
                leader = new TaskCompletionSource<CachedToken>(TaskCreationOptions.RunContinuationsAsynchronously);
                refresh = leader.Task;
            }

            pending = refresh;
        }

        if (leader is not null)
        {
            // Started outside the lock and detached from this caller's token: the refresh belongs to everyone waiting for it.
            _ = RefreshAsync(leader);
        }

        var token = await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
        return token.AccessToken;
    }

    /// <summary>
    /// Forgets <paramref name="rejectedToken"/> after the Management API refused it (401), so the next
    /// <see cref="GetTokenAsync"/> fetches a fresh one. A token that was already replaced is left alone,
    /// so many callers refused with the same stale token cause one refresh, not many.
    /// </summary>
    public void Invalidate(string rejectedToken)
    {
        lock (gate)
        {
            if (current is { } cached && string.Equals(cached.AccessToken, rejectedToken, StringComparison.Ordinal))
            {
                current = null;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        disposed.Cancel();
        disposed.Dispose();
    }

    private async Task RefreshAsync(TaskCompletionSource<CachedToken> leader)
    {
        try
        {
            var token = await FetchAsync(disposed.Token).ConfigureAwait(false);
            lock (gate)
            {
                current = token;
                refresh = null;
            }

            leader.SetResult(token);
        }
        catch (Exception ex)
        {
            lock (gate)
            {
                refresh = null;
            }

            if (ex is not OperationCanceledException)
            {
                Auth0Log.TokenFetchFailed(logger, options.ClientId, ex);
            }

            leader.SetException(ex);
        }
    }

    private async Task<CachedToken> FetchAsync(CancellationToken cancellationToken)
    {
        using var http = httpClients.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, options.TokenEndpoint)
        {
            Content = new FormUrlEncodedContent(
            [
                new("grant_type", "client_credentials"),
                new("client_id", options.ClientId),
                new("client_secret", options.ClientSecret),
                new("audience", options.ManagementApi.AbsoluteUri),
            ]),
        };

        var requestedAt = time.GetUtcNow();
        using var response = await Auth0Requests.SendAsync(
            http, request, Auth0ApiErrors.Endpoint.Token, Operation, options, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        TokenResponse? answer;
        try
        {
            answer = JsonSerializer.Deserialize(body, ManagementJsonContext.Default.TokenResponse);
        }
        catch (JsonException ex)
        {
            throw Auth0ApiErrors.Unreadable(response, Operation, "token response", body, ex);
        }

        if (answer is null || string.IsNullOrWhiteSpace(answer.AccessToken))
        {
            throw Auth0ApiErrors.Unreadable(response, Operation, "token response", body, null);
        }

        // Timed from when the request was sent, so time spent in retries does not stretch the token's life.
        var lifetime = TimeSpan.FromSeconds(Math.Max(answer.ExpiresIn ?? 0, 0));
        var margin = TimeSpan.FromTicks(Math.Min(RefreshMargin.Ticks, lifetime.Ticks / 10));
        var token = new CachedToken(answer.AccessToken, requestedAt + lifetime, requestedAt + lifetime - margin);
        Auth0Log.TokenFetched(logger, options.ClientId, token.ExpiresAt, token.RefreshAt);
        return token;
    }

    private sealed record CachedToken(string AccessToken, DateTimeOffset ExpiresAt, DateTimeOffset RefreshAt)
    {
        // The token itself stays out of ToString (and so out of any log or debugger display).
        public override string ToString() => $"Management API token expiring at {ExpiresAt:O}";
    }
}
