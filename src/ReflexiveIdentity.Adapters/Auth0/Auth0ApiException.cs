using System.Net;

namespace ReflexiveIdentity.Adapters.Auth0;

/// <summary>
/// A call to Auth0 (Management API or token endpoint) that did not succeed: the status code, Auth0's
/// error body and its rate-limit state, with a message that says what to do about it. A call Auth0
/// never answered (every attempt timed out or could not connect) has no <see cref="StatusCode"/>.
/// </summary>
public class Auth0ApiException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public Auth0ApiException()
        : this("A call to Auth0 failed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public Auth0ApiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public Auth0ApiException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>What was called, as a route: <c>PATCH users/{id}</c>, <c>POST oauth/token</c>.</summary>
    public string? Operation { get; init; }

    /// <summary>Auth0's status code; null when Auth0 never answered.</summary>
    public HttpStatusCode? StatusCode { get; init; }

    /// <summary>Auth0's <c>error</c>: the reason phrase (Management API) or the OAuth error code (token endpoint).</summary>
    public string? Error { get; init; }

    /// <summary>Auth0's <c>errorCode</c>, e.g. <c>inexistent_user</c>, <c>insufficient_scope</c>, <c>too_many_requests</c>.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Auth0's own <c>message</c> (or <c>error_description</c>).</summary>
    public string? ApiMessage { get; init; }

    /// <summary>The raw response body (at most 2,000 characters) when there was one.</summary>
    public string? Body { get; init; }

    /// <summary>The <c>x-ratelimit-*</c> headers of the last answer, when Auth0 sent them.</summary>
    public Auth0RateLimit? RateLimit { get; init; }
}
