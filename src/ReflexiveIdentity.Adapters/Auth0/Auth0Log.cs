using System.Net;
using Microsoft.Extensions.Logging;
using ReflexiveIdentity.Agents;

namespace ReflexiveIdentity.Adapters.Auth0;

/// <summary>
/// Every log message of the Auth0 adapter. Routes and paths only: never a token, a client secret,
/// an Authorization header, a request body or a search query.
/// </summary>
internal static partial class Auth0Log
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Debug, Message = "Auth0 {Operation} answered {StatusCode}")]
    public static partial void Called(ILogger logger, string operation, int statusCode);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Auth0 {Operation} failed with {StatusCode} {ErrorCode}")]
    public static partial void CallFailed(ILogger logger, string operation, int? statusCode, string? errorCode);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning,
        Message = "Retrying Auth0 {Method} {Path} after {Reason}: attempt {NextAttempt} of {MaxAttempts} in {Delay} ({DelaySource})")]
    public static partial void Retrying(ILogger logger, string method, string path, string reason, int nextAttempt, int maxAttempts, TimeSpan delay, string delaySource);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning,
        Message = "Auth0 rate limit hit on {Method} {Path}: limit {Limit}, remaining {Remaining}, resets at {Reset}, Retry-After {RetryAfter}")]
    public static partial void RateLimited(ILogger logger, string method, string path, long? limit, long? remaining, DateTimeOffset? reset, string? retryAfter);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Error,
        Message = "Auth0 rate limit still exhausted after {Attempts} attempts of {Operation}: limit {Limit}, remaining {Remaining}, resets at {Reset}")]
    public static partial void RateLimitExhausted(ILogger logger, string operation, int attempts, long? limit, long? remaining, DateTimeOffset? reset);

    [LoggerMessage(EventId = 3110, Level = LogLevel.Information,
        Message = "Fetched a Management API token for client {ClientId}; it expires at {ExpiresAt} and is reused until {RefreshAt}")]
    public static partial void TokenFetched(ILogger logger, string clientId, DateTimeOffset expiresAt, DateTimeOffset refreshAt);

    [LoggerMessage(EventId = 3111, Level = LogLevel.Error, Message = "Fetching a Management API token for client {ClientId} failed")]
    public static partial void TokenFetchFailed(ILogger logger, string clientId, Exception exception);

    [LoggerMessage(EventId = 3112, Level = LogLevel.Warning,
        Message = "Auth0 answered {Method} {Path} with 401; dropping the cached token and retrying once with a fresh one")]
    public static partial void TokenRejected(ILogger logger, string method, string path);

    [LoggerMessage(EventId = 3120, Level = LogLevel.Warning,
        Message = "User search matched {Total} users but Auth0 returns at most the first {Cap}; narrow the query to see the rest")]
    public static partial void SearchTruncated(ILogger logger, int total, int cap);

    [LoggerMessage(EventId = 3130, Level = LogLevel.Information,
        Message = "Published trust {TrustScore} ({Status}) of agent {AgentId} to Auth0 {PrincipalType} {PrincipalId}")]
    public static partial void TrustPublished(ILogger logger, string agentId, double trustScore, string status, PrincipalType principalType, string principalId);

    [LoggerMessage(EventId = 3131, Level = LogLevel.Warning,
        Message = "The trust breakdown of agent {AgentId} does not fit Auth0's {MaxChars}-character client_metadata value; published {Kept} of {Total} components (the largest penalties)")]
    public static partial void BreakdownTrimmed(ILogger logger, string agentId, int maxChars, int kept, int total);

    [LoggerMessage(EventId = 3132, Level = LogLevel.Information,
        Message = "Revoked {Scopes} from agent {PrincipalType} {PrincipalId} on {Audience}")]
    public static partial void ScopesRevoked(ILogger logger, IReadOnlyList<string> scopes, PrincipalType principalType, string principalId, string audience);

    [LoggerMessage(EventId = 3133, Level = LogLevel.Information,
        Message = "Restored {Scopes} to agent {PrincipalType} {PrincipalId} on {Audience}")]
    public static partial void ScopesRestored(ILogger logger, IReadOnlyList<string> scopes, PrincipalType principalType, string principalId, string audience);

    [LoggerMessage(EventId = 3134, Level = LogLevel.Information,
        Message = "Client {ClientId} has no grant for {Audience}, so it holds none of {Scopes}: nothing to revoke")]
    public static partial void NoGrantToRevoke(ILogger logger, string clientId, string audience, IReadOnlyList<string> scopes);

    public static void Failed(ILogger logger, Auth0ApiException exception) =>
        CallFailed(logger, exception.Operation ?? "call", exception.StatusCode is HttpStatusCode status ? (int)status : null, exception.ErrorCode);
}
