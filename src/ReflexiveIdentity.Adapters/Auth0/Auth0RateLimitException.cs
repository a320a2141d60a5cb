namespace ReflexiveIdentity.Adapters.Auth0;

/// <summary>Auth0 still answered 429 Too Many Requests when the retries were used up.</summary>
public sealed class Auth0RateLimitException : Auth0ApiException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public Auth0RateLimitException()
        : this("Auth0's rate limit was exhausted.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public Auth0RateLimitException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public Auth0RateLimitException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Auth0's <c>Retry-After</c> on the last answer, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
