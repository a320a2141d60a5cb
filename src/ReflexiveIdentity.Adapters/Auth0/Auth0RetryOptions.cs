using System.ComponentModel.DataAnnotations;

namespace ReflexiveIdentity.Adapters.Auth0;

/// <summary>
/// How calls to Auth0 are retried on 408, 429, 500, 502, 503, 504, timeouts and connection failures.
/// The wait before a retry is Auth0's <c>Retry-After</c>, else (on 429) the time until
/// <c>X-RateLimit-Reset</c>, else exponential backoff with jitter from <see cref="BaseDelay"/>;
/// never more than <see cref="MaxDelay"/>.
/// </summary>
public sealed class Auth0RetryOptions
{
    /// <summary>Attempts per call, the first one included; 1 turns retries off.</summary>
    [Range(1, 10, ErrorMessage = "Retry.MaxAttempts must be from 1 to 10.")]
    public int MaxAttempts { get; init; } = 4;

    /// <summary>The median first backoff delay when Auth0 says nothing about when to come back.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00", ErrorMessage = "Retry.BaseDelay must be from 1 ms to 1 minute.")]
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The cap on any single delay, whatever the headers ask for.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00", ErrorMessage = "Retry.MaxDelay must be from 1 ms to 10 minutes.")]
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one attempt may take before it is abandoned (and retried).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00", ErrorMessage = "Retry.AttemptTimeout must be from 10 ms to 10 minutes.")]
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
