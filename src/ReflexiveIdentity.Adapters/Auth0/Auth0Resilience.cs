using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ReflexiveIdentity.Adapters.Auth0;

/// <summary>
/// The resilience pipeline of every Auth0 HttpClient (Microsoft.Extensions.Http.Resilience over Polly):
/// an outer retry on 408, 429, 500, 502, 503, 504, timeouts and connection failures, and an inner
/// per-attempt timeout. Both run on the container's <see cref="TimeProvider"/>, so a test that
/// registers a fake clock advances it instead of sleeping.
/// </summary>
internal static class Auth0Resilience
{
    private static readonly ResiliencePropertyKey<string> DelaySource = new("ReflexiveIdentity.Auth0.DelaySource");

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, IServiceProvider services, Auth0RetryOptions retry)
    {
        var time = services.GetRequiredService<TimeProvider>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(Auth0Resilience).FullName!);

        // Polly.Extensions also copies a registered TimeProvider into the builder; setting it here keeps
        // retry delays and attempt timeouts on the injected clock whatever the registration order.
        builder.TimeProvider = time;
        if (retry.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = retry.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = retry.BaseDelay,
                MaxDelay = retry.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(ServerDelay(args.Outcome, args.Context, time.GetUtcNow(), retry.MaxDelay)),
                OnRetry = args =>
                {
                    Report(logger, args, retry.MaxAttempts);
                    return default;
                },
            });
        }

        builder.AddTimeout(retry.AttemptTimeout);
    }

    /// <summary>Whether an attempt's outcome is worth another attempt.</summary>
    internal static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: TimeoutRejectedException or HttpRequestException } => true,
        { Result: { } response } => response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
            or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout,
        _ => false,
    };

    /// <summary>
    /// The wait Auth0 asks for: <c>Retry-After</c> (seconds or an HTTP date), else on a 429 the time until
    /// <c>X-RateLimit-Reset</c>; capped at <paramref name="cap"/>. Null lets the exponential backoff decide.
    /// </summary>
    internal static TimeSpan? ServerDelay(Outcome<HttpResponseMessage> outcome, ResilienceContext context, DateTimeOffset now, TimeSpan cap)
    {
        TimeSpan? delay = null;
        var source = "exponential backoff";
        if (outcome.Result is { } response)
        {
            if (response.Headers.RetryAfter is { } retryAfter)
            {
                if (retryAfter.Delta is { } delta)
                {
                    (delay, source) = (delta, "Retry-After");
                }
                else if (retryAfter.Date is { } date)
                {
                    (delay, source) = (date > now ? date - now : TimeSpan.Zero, "Retry-After date");
                }
            }
            else if (response.StatusCode == HttpStatusCode.TooManyRequests
                && Auth0RateLimit.From(response.Headers)?.Reset is { } reset && reset > now)
            {
                (delay, source) = (reset - now, "X-RateLimit-Reset");
            }
        }

        if (delay > cap)
        {
            (delay, source) = (cap, source + ", capped");
        }

        context.Properties.Set(DelaySource, source);
        return delay;
    }

    private static void Report(ILogger logger, OnRetryArguments<HttpResponseMessage> args, int maxAttempts)
    {
        var request = args.Outcome.Result?.RequestMessage ?? args.Context.GetRequestMessage();
        var method = request?.Method.Method ?? "?";
        var path = request?.RequestUri?.AbsolutePath ?? "?";
        var reason = args.Outcome switch
        {
            { Exception: TimeoutRejectedException } => "a timeout",
            { Exception: HttpRequestException e } => "a connection failure: " + e.HttpRequestError,
            { Result: { } response } => ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture),
            _ => "a failure",
        };
        var source = args.Context.Properties.GetValue(DelaySource, "exponential backoff");
        Auth0Log.Retrying(logger, method, path, reason, args.AttemptNumber + 2, maxAttempts, args.RetryDelay, source);

        if (args.Outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } limited)
        {
            var state = Auth0RateLimit.From(limited.Headers);
            Auth0Log.RateLimited(logger, method, path, state?.Limit, state?.Remaining, state?.Reset, limited.Headers.RetryAfter?.ToString());
        }
    }
}
