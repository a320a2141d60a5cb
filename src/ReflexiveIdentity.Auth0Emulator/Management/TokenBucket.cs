namespace ReflexiveIdentity.Auth0Emulation.Management;

/// <summary>The rate-limit state Auth0 reports in <c>x-ratelimit-*</c> headers, and the wait on a 429.</summary>
internal readonly record struct RateLimitState(bool Allowed, int Limit, int Remaining, long ResetUnixSeconds, int RetryAfterSeconds);

/// <summary>
/// The Management API's token bucket: <c>capacity</c> requests at once, refilled at
/// <c>refillPerSecond</c>. Time comes from the <see cref="TimeProvider"/>, so tests can stop it.
/// </summary>
internal sealed class TokenBucket
{
    private readonly Lock _gate = new();
    private readonly int _capacity;
    private readonly double _refillPerSecond;
    private readonly TimeProvider _time;
    private double _tokens;
    private DateTimeOffset _updated;

    public TokenBucket(int capacity, double refillPerSecond, TimeProvider time)
    {
        _capacity = capacity;
        _refillPerSecond = refillPerSecond;
        _time = time;
        _tokens = capacity;
        _updated = time.GetUtcNow();
    }

    public int Capacity => _capacity;

    /// <summary>Takes one call's token when there is one.</summary>
    public RateLimitState TryTake() => Update(take: true);

    /// <summary>The state without taking a token (for answers that do not count, like injected faults).</summary>
    public RateLimitState Peek() => Update(take: false);

    private RateLimitState Update(bool take)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            _tokens = Math.Min(_capacity, _tokens + ((now - _updated).TotalSeconds * _refillPerSecond));
            _updated = now;

            var allowed = _tokens >= 1;
            if (allowed && take)
            {
                _tokens -= 1;
            }

            // x-ratelimit-reset: when the bucket is full again; Retry-After: when the next call fits.
            var untilFull = (_capacity - _tokens) / _refillPerSecond;
            var untilNext = allowed ? 0 : (1 - _tokens) / _refillPerSecond;
            return new RateLimitState(
                allowed,
                _capacity,
                (int)Math.Floor(_tokens),
                (long)Math.Ceiling((now + TimeSpan.FromSeconds(untilFull)).ToUnixTimeMilliseconds() / 1000.0),
                (int)Math.Ceiling(untilNext));
        }
    }
}
