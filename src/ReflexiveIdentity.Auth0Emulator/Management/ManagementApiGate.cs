using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ReflexiveIdentity.Auth0Emulation.Emulator;
using ReflexiveIdentity.Auth0Emulation.Tokens;

namespace ReflexiveIdentity.Auth0Emulation.Management;

/// <summary>The Management API scopes an endpoint accepts: any one of them will do.</summary>
internal sealed record ManagementScopes(params string[] AnyOf);

/// <summary>
/// In front of every <c>/api/v2</c> call, in order: count it, inject fault-mode latency and faults,
/// take a token from the rate-limit bucket (<c>x-ratelimit-*</c> headers on every answer), then
/// require a Bearer token this tenant issued for the Management API with a scope the endpoint accepts.
/// </summary>
internal sealed class ManagementApiGate(
    RequestDelegate next,
    CallStats stats,
    FaultInjector faults,
    TokenBucket bucket,
    TokenIssuer issuer,
    TenantAddress address,
    TenantClock clock)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? "/api/v2";
        stats.CountManagement(http.Request.Method, route);

        var (fault, latency) = faults.Draw();
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, clock.Time, http.RequestAborted).ConfigureAwait(false);
        }

        if (fault != InjectedFault.None)
        {
            await WriteFaultAsync(http, fault).ConfigureAwait(false);
            return;
        }

        var rate = bucket.TryTake();
        WriteRateHeaders(http.Response, rate);
        if (!rate.Allowed)
        {
            http.Response.Headers.RetryAfter = rate.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            await WriteAsync(http, StatusCodes.Status429TooManyRequests, "Global limit has been reached", "too_many_requests").ConfigureAwait(false);
            return;
        }

        var scopes = await AuthenticateAsync(http).ConfigureAwait(false);
        if (scopes is null)
        {
            return;
        }

        if (http.GetEndpoint()?.Metadata.GetMetadata<ManagementScopes>() is { } required
            && !required.AnyOf.Any(scopes.Contains))
        {
            await WriteAsync(http, StatusCodes.Status403Forbidden, $"Insufficient scope, expected any of: {string.Join(',', required.AnyOf)}", "insufficient_scope").ConfigureAwait(false);
            return;
        }

        await next(http).ConfigureAwait(false);
    }

    /// <summary>The token's scopes, or null once a 401 has been written.</summary>
    private async Task<HashSet<string>?> AuthenticateAsync(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            await WriteAsync(http, StatusCodes.Status401Unauthorized, "Missing authentication", null).ConfigureAwait(false);
            return null;
        }

        if (!AuthenticationHeaderValue.TryParse(header, out var value)
            || !string.Equals(value.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
            || string.IsNullOrWhiteSpace(value.Parameter))
        {
            await WriteAsync(http, StatusCodes.Status401Unauthorized, "Bad HTTP authentication header format", null).ConfigureAwait(false);
            return null;
        }

        var check = await issuer.ValidateAsync(value.Parameter, address.ManagementAudience).ConfigureAwait(false);
        if (check.Status != TokenCheckStatus.Valid)
        {
            var message = check.Status switch
            {
                TokenCheckStatus.Expired => "Expired token received for JSON Web Token validation",
                TokenCheckStatus.WrongAudience => $"Bad audience: {check.Audience}",
                _ => "Invalid token",
            };
            var body = ManagementError.Body(StatusCodes.Status401Unauthorized, message, null);
            body["attributes"] = new JsonObject { ["error"] = message };
            http.Response.Headers.WWWAuthenticate = $"Bearer error=\"invalid_token\", error_description=\"{message}\"";
            await WriteAsync(http, StatusCodes.Status401Unauthorized, body).ConfigureAwait(false);
            return null;
        }

        return [.. check.Scopes];
    }

    private Task WriteFaultAsync(HttpContext http, InjectedFault fault)
    {
        if (fault == InjectedFault.TooManyRequests)
        {
            var reset = clock.Time.GetUtcNow().ToUnixTimeSeconds() + 1;
            WriteRateHeaders(http.Response, new RateLimitState(false, bucket.Capacity, 0, reset, 1));
            http.Response.Headers.RetryAfter = "1";
            return WriteAsync(http, StatusCodes.Status429TooManyRequests, "Global limit has been reached", "too_many_requests");
        }

        WriteRateHeaders(http.Response, bucket.Peek());
        var status = fault == InjectedFault.InternalServerError ? StatusCodes.Status500InternalServerError : StatusCodes.Status503ServiceUnavailable;
        return WriteAsync(http, status, status == 500 ? "Internal Server Error" : "Service Unavailable", null);
    }

    private static void WriteRateHeaders(HttpResponse response, RateLimitState rate)
    {
        response.Headers["x-ratelimit-limit"] = rate.Limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-remaining"] = rate.Remaining.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-reset"] = rate.ResetUnixSeconds.ToString(CultureInfo.InvariantCulture);
    }

    private static Task WriteAsync(HttpContext http, int status, string message, string? errorCode) =>
        WriteAsync(http, status, ManagementError.Body(status, message, errorCode));

    private static async Task WriteAsync(HttpContext http, int status, JsonObject body)
    {
        http.Response.StatusCode = status;
        await http.Response.WriteAsJsonAsync<JsonNode>(body, EmulatorJsonContext.Default.JsonNode, cancellationToken: http.RequestAborted).ConfigureAwait(false);
    }
}
