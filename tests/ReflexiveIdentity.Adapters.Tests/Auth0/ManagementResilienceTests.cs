using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly.Timeout;
using ReflexiveIdentity.Adapters.Auth0;

namespace ReflexiveIdentity.Adapters.Tests.Auth0;

/// <summary>
/// The Management client's pipeline against a scripted loopback Auth0: which answers are retried, how
/// long each wait is (read from the timers started on a fake clock, never from sleeping), what is
/// thrown when retries run out, and how a 401 refreshes the token.
/// </summary>
public sealed class ManagementResilienceTests : IAsyncLifetime
{
    private const string Omega = "auth0|agent_omega";
    private const string Secret = "LOCAL-ONLY-scripted-secret";
    private const string OmegaJson = """{"user_id":"auth0|agent_omega","email":"agent_omega@agents.reflexive.local","app_metadata":{"trust_score":100}}""";

    private static readonly Auth0RetryOptions Retry = new()
    {
        MaxAttempts = 3,
        BaseDelay = TimeSpan.FromSeconds(1),
        MaxDelay = TimeSpan.FromSeconds(30),
        AttemptTimeout = TimeSpan.FromSeconds(7),
    };

    private ScriptedAuth0Server server = null!;
    private readonly ObservedTime time = new();
    private RecordingLoggerProvider logs = null!;
    private ServiceProvider services = null!;
    private ManagementApiClient client = null!;

    public Task InitializeAsync()
    {
        server = ScriptedAuth0Server.Start();
        logs = RecordingLoggerProvider.Create();
        services = Auth0TestServices.Build(server.Authority, "reflexive-management", Secret, time, Retry, logs);
        client = services.GetRequiredService<ManagementApiClient>();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await time.DisposeAdvancingAsync(services);
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Retry_429WithRetryAfterSeconds_WaitsExactlyThatLongThenSucceeds()
    {
        server.Enqueue(Reply.TooManyRequests(("Retry-After", "2")), Reply.Json(200, OmegaJson));

        var call = client.GetUserAsync(Omega, CancellationToken.None);
        var delay = await time.NextDelayAsync(Retry.AttemptTimeout);
        time.Advance(delay);
        var user = await call.WaitAsync(TestGuard.Hang);

        Assert.Equal(TimeSpan.FromSeconds(2), delay);
        Assert.Equal(Omega, user.UserId);
        Assert.Equal(2, server.Received.Count);
        var retry = Assert.Single(logs.WithEvent(3102));
        Assert.Equal(TimeSpan.FromSeconds(2), retry.Values["Delay"]);
        Assert.Equal("Retry-After", retry.Values["DelaySource"]);
        Assert.Equal("429", retry.Values["Reason"]);
        Assert.Equal(2, retry.Values["NextAttempt"]);
        Assert.Single(logs.WithEvent(3103));
    }

    [Fact]
    public async Task Retry_429WithRetryAfterDate_WaitsUntilThatDate()
    {
        var date = ObservedTime.Epoch.AddSeconds(4).ToString("r", CultureInfo.InvariantCulture);
        server.Enqueue(Reply.TooManyRequests(("Retry-After", date)), Reply.Json(200, OmegaJson));

        var call = client.GetUserAsync(Omega, CancellationToken.None);
        var delay = await time.NextDelayAsync(Retry.AttemptTimeout);
        time.Advance(delay);
        await call.WaitAsync(TestGuard.Hang);

        Assert.Equal(TimeSpan.FromSeconds(4), delay);
        Assert.Equal("Retry-After date", Assert.Single(logs.WithEvent(3102)).Values["DelaySource"]);
    }

    [Fact]
    public async Task Retry_429WithOnlyRateLimitReset_WaitsUntilTheReset()
    {
        var reset = ObservedTime.Epoch.AddSeconds(5).ToUnixTimeSeconds();
        server.Enqueue(
            Reply.TooManyRequests(Reply.RateLimitHeader("x-ratelimit-limit", 50), Reply.RateLimitHeader("x-ratelimit-remaining", 0), Reply.RateLimitHeader("x-ratelimit-reset", reset)),
            Reply.Json(200, OmegaJson));

        var call = client.GetUserAsync(Omega, CancellationToken.None);
        var delay = await time.NextDelayAsync(Retry.AttemptTimeout);
        time.Advance(delay);
        await call.WaitAsync(TestGuard.Hang);

        Assert.Equal(TimeSpan.FromSeconds(5), delay);
        Assert.Equal("X-RateLimit-Reset", Assert.Single(logs.WithEvent(3102)).Values["DelaySource"]);
        var limited = Assert.Single(logs.WithEvent(3103));
        Assert.Equal(50L, limited.Values["Limit"]);
        Assert.Equal(0L, limited.Values["Remaining"]);
    }

    [Fact]
    public async Task Retry_429WithoutHints_BacksOffExponentiallyWithJitterWithinTheCap()
    {
        server.Enqueue(Reply.TooManyRequests(), Reply.TooManyRequests(), Reply.Json(200, OmegaJson));

        var call = client.GetUserAsync(Omega, CancellationToken.None);
        var first = await time.NextDelayAsync(Retry.AttemptTimeout);
        time.Advance(first);
        var second = await time.NextDelayAsync(Retry.AttemptTimeout);
        time.Advance(second);
        await call.WaitAsync(TestGuard.Hang);

        Assert.InRange(first, TimeSpan.FromTicks(1), Retry.MaxDelay);
        Assert.InRange(second, TimeSpan.FromTicks(1), Retry.MaxDelay);
        Assert.All(logs.WithEvent(3102), e => Assert.Equal("exponential backoff", e.Values["DelaySource"]));
        Assert.Equal(3, server.Received.Count);
    }

    [Fact]
    public async Task Retry_RetryAfterBeyondTheCap_WaitsOnlyTheCap()
    {
        server.Enqueue(Reply.TooManyRequests(("Retry-After", "120")), Reply.Json(200, OmegaJson));

        var call = client.GetUserAsync(Omega, CancellationToken.None);
        var delay = await time.NextDelayAsync(Retry.AttemptTimeout);
        time.Advance(delay);
        await call.WaitAsync(TestGuard.Hang);

        Assert.Equal(Retry.MaxDelay, delay);
        Assert.Equal("Retry-After, capped", Assert.Single(logs.WithEvent(3102)).Values["DelaySource"]);
    }

    [Fact]
    public async Task Retry_500Then200_Succeeds()
    {
        server.Enqueue(Reply.Json(500, """{"statusCode":500,"error":"Internal Server Error","message":"Internal Server Error"}"""), Reply.Json(200, OmegaJson));

        var call = client.GetUserAsync(Omega, CancellationToken.None);
        time.Advance(await time.NextDelayAsync(Retry.AttemptTimeout));
        var user = await call.WaitAsync(TestGuard.Hang);

        Assert.Equal(Omega, user.UserId);
        Assert.Equal(2, server.Received.Count);
        Assert.Equal("500", Assert.Single(logs.WithEvent(3102)).Values["Reason"]);
    }

    [Fact]
    public async Task Retry_503UntilExhausted_ThrowsAuth0ApiExceptionWithStatusAndBody()
    {
        server.DefaultReply = Reply.Json(503, """{"statusCode":503,"error":"Service Unavailable","message":"The tenant is being upgraded"}""");

        var call = client.GetUserAsync(Omega, CancellationToken.None);
        for (var retry = 1; retry < Retry.MaxAttempts; retry++)
        {
            time.Advance(await time.NextDelayAsync(Retry.AttemptTimeout));
        }

        var e = await Assert.ThrowsAsync<Auth0ApiException>(() => call.WaitAsync(TestGuard.Hang));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, e.StatusCode);
        Assert.Equal("Service Unavailable", e.Error);
        Assert.Equal("The tenant is being upgraded", e.ApiMessage);
        Assert.Contains("The tenant is being upgraded", e.Body, StringComparison.Ordinal);
        Assert.Equal("GET users/{id}", e.Operation);
        Assert.Contains("3 attempts", e.Message, StringComparison.Ordinal);
        Assert.Contains("try again later", e.Message, StringComparison.Ordinal);
        Assert.Equal(Retry.MaxAttempts, server.Received.Count);
    }

    [Fact]
    public async Task Retry_429UntilExhausted_ThrowsRateLimitExceptionWithTheRateLimitState()
    {
        var reset = ObservedTime.Epoch.AddSeconds(1).ToUnixTimeSeconds();
        server.DefaultReply = Reply.TooManyRequests(
            ("Retry-After", "1"),
            Reply.RateLimitHeader("x-ratelimit-limit", 50),
            Reply.RateLimitHeader("x-ratelimit-remaining", 0),
            Reply.RateLimitHeader("x-ratelimit-reset", reset));

        var call = client.UpdateClientMetadataAsync("agent_sigma", new Dictionary<string, string?> { ["status"] = "active" }, CancellationToken.None);
        for (var retry = 1; retry < Retry.MaxAttempts; retry++)
        {
            time.Advance(await time.NextDelayAsync(Retry.AttemptTimeout));
        }

        var e = await Assert.ThrowsAsync<Auth0RateLimitException>(() => call.WaitAsync(TestGuard.Hang));

        Assert.Equal(HttpStatusCode.TooManyRequests, e.StatusCode);
        Assert.Equal("too_many_requests", e.ErrorCode);
        Assert.Equal("Global limit has been reached", e.ApiMessage);
        Assert.Equal(new Auth0RateLimit(50, 0, DateTimeOffset.FromUnixTimeSeconds(reset)), e.RateLimit);
        Assert.Equal(TimeSpan.FromSeconds(1), e.RetryAfter);
        Assert.Contains("Retry.MaxAttempts", e.Message, StringComparison.Ordinal);
        Assert.Equal(Retry.MaxAttempts, server.Received.Count);
        Assert.Single(logs.WithEvent(3104));
    }

    [Fact]
    public async Task Retry_HangingResponse_TimesTheAttemptOutAndRetries()
    {
        server.Enqueue(Reply.Hanging(), Reply.Json(200, OmegaJson));

        var call = client.GetUserAsync(Omega, CancellationToken.None);
        await server.NextRequestAsync();
        time.Advance(Retry.AttemptTimeout);
        time.Advance(await time.NextDelayAsync(Retry.AttemptTimeout));
        var user = await call.WaitAsync(TestGuard.Hang);

        Assert.Equal(Omega, user.UserId);
        Assert.Equal("a timeout", Assert.Single(logs.WithEvent(3102)).Values["Reason"]);
    }

    [Fact]
    public async Task Retry_HangingOnEveryAttempt_ThrowsAuth0ApiExceptionWithoutStatus()
    {
        server.DefaultReply = Reply.Hanging();

        var call = client.GetUserAsync(Omega, CancellationToken.None);
        for (var attempt = 1; attempt <= Retry.MaxAttempts; attempt++)
        {
            await server.NextRequestAsync();
            time.Advance(Retry.AttemptTimeout);
            if (attempt < Retry.MaxAttempts)
            {
                time.Advance(await time.NextDelayAsync(Retry.AttemptTimeout));
            }
        }

        var e = await Assert.ThrowsAsync<Auth0ApiException>(() => call.WaitAsync(TestGuard.Hang));

        Assert.Null(e.StatusCode);
        Assert.IsType<TimeoutRejectedException>(e.InnerException);
        Assert.Contains("did not answer GET users/{id} within 7 s on 3 attempts", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_TruncatedJson_ThrowsAuth0ApiExceptionNamingTheCallAndTheBody()
    {
        server.Enqueue(Reply.Json(200, """{"user_id": "auth0|agent_om"""));

        var e = await Assert.ThrowsAsync<Auth0ApiException>(() => client.GetUserAsync(Omega, CancellationToken.None).WaitAsync(TestGuard.Hang));

        Assert.Equal(HttpStatusCode.OK, e.StatusCode);
        Assert.IsType<JsonException>(e.InnerException, exactMatch: false);
        Assert.Contains("GET users/{id}", e.Message, StringComparison.Ordinal);
        Assert.Contains("not the expected Auth0User JSON", e.Message, StringComparison.Ordinal);
        Assert.Contains("Auth0__Authority", e.Message, StringComparison.Ordinal);
        Assert.Equal("""{"user_id": "auth0|agent_om""", e.Body);
    }

    [Fact]
    public async Task Read_BodyMissingARequiredField_ThrowsAuth0ApiException()
    {
        server.Enqueue(Reply.Json(200, """{"email":"someone@example.com"}"""));

        var e = await Assert.ThrowsAsync<Auth0ApiException>(() => client.GetUserAsync(Omega, CancellationToken.None).WaitAsync(TestGuard.Hang));

        Assert.Contains("not the expected Auth0User JSON", e.Message, StringComparison.Ordinal);
        Assert.Contains("user_id", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_HtmlErrorPage_ThrowsAuth0ApiExceptionWithTheRawBody()
    {
        server.Enqueue(Reply.Json(404, "<html><body>Not here</body></html>"));

        var e = await Assert.ThrowsAsync<Auth0ApiException>(() => client.GetUserAsync(Omega, CancellationToken.None).WaitAsync(TestGuard.Hang));

        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        Assert.Null(e.ErrorCode);
        Assert.Equal("<html><body>Not here</body></html>", e.Body);
        Assert.Single(server.Received);
    }

    [Fact]
    public async Task Send_404_IsNotRetriedAndSaysWhatToCheck()
    {
        server.Enqueue(Reply.Json(404, """{"statusCode":404,"error":"Not Found","message":"The user does not exist.","errorCode":"inexistent_user"}"""));

        var e = await Assert.ThrowsAsync<Auth0ApiException>(() => client.GetUserAsync("auth0|nobody", CancellationToken.None).WaitAsync(TestGuard.Hang));

        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        Assert.Equal("inexistent_user", e.ErrorCode);
        Assert.Contains("principal id", e.Message, StringComparison.Ordinal);
        Assert.Single(server.Received);
        Assert.Equal("/api/v2/users/auth0%7Cnobody", server.Received[0].PathAndQuery);
    }

    [Fact]
    public async Task Send_401Once_RefreshesTheTokenExactlyOnceAndSucceeds()
    {
        server.Enqueue(Reply.Json(401, """{"statusCode":401,"error":"Unauthorized","message":"Invalid token"}"""));
        server.DefaultReply = Reply.Json(200, OmegaJson);

        var user = await client.GetUserAsync(Omega, CancellationToken.None).WaitAsync(TestGuard.Hang);
        await client.GetUserAsync(Omega, CancellationToken.None).WaitAsync(TestGuard.Hang);

        Assert.Equal(Omega, user.UserId);
        Assert.Equal(2, server.TokenRequests);
        Assert.Equal(["Bearer token-1", "Bearer token-2", "Bearer token-2"], server.Received.Select(r => r.Authorization));
        Assert.Single(logs.WithEvent(3112));
    }

    [Fact]
    public async Task Send_401Again_ThrowsAfterOneRefresh()
    {
        server.DefaultReply = Reply.Json(401, """{"statusCode":401,"error":"Unauthorized","message":"Bad audience: https://elsewhere/api/v2/"}""");

        var e = await Assert.ThrowsAsync<Auth0ApiException>(() => client.GetUserAsync(Omega, CancellationToken.None).WaitAsync(TestGuard.Hang));

        Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode);
        Assert.Equal("Bad audience: https://elsewhere/api/v2/", e.ApiMessage);
        Assert.Contains("freshly fetched token", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.TokenRequests);
        Assert.Equal(2, server.Received.Count);
    }

    [Fact]
    public async Task Retry_CancelledDuringTheDelay_ThrowsOperationCanceledWithoutAnotherAttempt()
    {
        server.Enqueue(Reply.TooManyRequests(("Retry-After", "10")), Reply.Json(200, OmegaJson));
        using var cancel = new CancellationTokenSource();

        var call = client.GetUserAsync(Omega, cancel.Token);
        Assert.Equal(TimeSpan.FromSeconds(10), await time.NextDelayAsync(Retry.AttemptTimeout));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TestGuard.Hang));
        Assert.Single(server.Received);
    }

    [Fact]
    public async Task Logs_AfterTokenRefreshesAndFailures_NeverHoldTheSecretOrATokenNorABody()
    {
        server.Enqueue(
            Reply.Json(401, """{"statusCode":401,"error":"Unauthorized","message":"Invalid token"}"""),
            Reply.Json(404, """{"statusCode":404,"error":"Not Found","message":"The user does not exist.","errorCode":"inexistent_user"}"""));

        await Assert.ThrowsAsync<Auth0ApiException>(() => client.UpdateUserAppMetadataAsync(Omega, new() { ["note"] = "body-marker" }, CancellationToken.None).WaitAsync(TestGuard.Hang));

        Assert.Contains(logs.Entries, e => e.Category.StartsWith("System.Net.Http.HttpClient.", StringComparison.Ordinal) && e.Level == LogLevel.Trace);
        Assert.All(logs.Entries, entry =>
        {
            var text = entry.Message + string.Join('|', entry.Values.Values) + entry.Exception;
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain("token-1", text, StringComparison.Ordinal);
            Assert.DoesNotContain("token-2", text, StringComparison.Ordinal);
            Assert.DoesNotContain("body-marker", text, StringComparison.Ordinal);
        });
    }
}
