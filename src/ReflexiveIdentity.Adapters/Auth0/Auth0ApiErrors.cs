using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace ReflexiveIdentity.Adapters.Auth0;

/// <summary>
/// Turns an unsuccessful or unreadable answer into an <see cref="Auth0ApiException"/> whose message
/// names the call, what Auth0 said and what to do about it.
/// </summary>
internal static class Auth0ApiErrors
{
    private const int MaxBodyChars = 2_000;

    /// <summary>Which side of Auth0 answered: the advice differs.</summary>
    public enum Endpoint
    {
        Management,
        Token,
    }

    public static async Task<Auth0ApiException> FromResponseAsync(
        HttpResponseMessage response, Endpoint endpoint, string operation, int attempts, CancellationToken cancellationToken)
    {
        var text = await ReadTextAsync(response, cancellationToken).ConfigureAwait(false);
        var error = TryParse(text);
        var status = response.StatusCode;
        var rateLimit = Auth0RateLimit.From(response.Headers);
        var said = error?.Message ?? error?.ErrorDescription ?? error?.Error ?? (text.Length > 0 ? "no Auth0 error body" : "empty body");
        var code = error?.ErrorCode ?? (endpoint == Endpoint.Token ? error?.Error : null);
        var heard = $"Auth0 answered {operation} with {(int)status}{(code is null ? "" : " " + code)} ({said})";

        if (status == HttpStatusCode.TooManyRequests)
        {
            return new Auth0RateLimitException(
                $"{heard} after {Attempts(attempts)}: its rate limit is still exhausted ({Describe(rateLimit)}). "
                + "Spread the calls out (e.g. the sweep's schedule) or allow more attempts (Retry.MaxAttempts).")
            {
                Operation = operation,
                StatusCode = status,
                Error = error?.Error,
                ErrorCode = code,
                ApiMessage = error?.Message ?? error?.ErrorDescription,
                Body = text,
                RateLimit = rateLimit,
                RetryAfter = response.Headers.RetryAfter?.Delta,
            };
        }

        return new Auth0ApiException($"{heard}{Advice(status, endpoint, attempts)}")
        {
            Operation = operation,
            StatusCode = status,
            Error = error?.Error,
            ErrorCode = code,
            ApiMessage = error?.Message ?? error?.ErrorDescription,
            Body = text,
            RateLimit = rateLimit,
        };
    }

    public static Auth0ApiException Unreadable(HttpResponseMessage response, string operation, string expected, string text, JsonException? cause) =>
        new($"Auth0 answered {operation} with {(int)response.StatusCode} but the body is not the expected {expected} JSON"
            + (cause is null ? "" : $" ({cause.Message})")
            + ". Check that Auth0__Authority points at the Auth0 tenant itself, not a proxy or a login page.", cause)
        {
            Operation = operation,
            StatusCode = response.StatusCode,
            Body = Truncate(text),
            RateLimit = Auth0RateLimit.From(response.Headers),
        };

    public static Auth0ApiException TimedOut(string operation, int attempts, TimeSpan attemptTimeout, Exception cause) =>
        new($"Auth0 did not answer {operation} within {attemptTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s on {Attempts(attempts)}. "
            + "Check the tenant's status and the network path to it, or raise Retry.AttemptTimeout.", cause)
        {
            Operation = operation,
        };

    public static Auth0ApiException Unreachable(string operation, int attempts, Uri address, HttpRequestException cause) =>
        new($"Auth0 could not be reached at {address.GetLeftPart(UriPartial.Authority)} for {operation} on {Attempts(attempts)} ({cause.Message}). "
            + "Check Auth0__Authority (or Auth0__Domain) and the network path to the tenant.", cause)
        {
            Operation = operation,
        };

    private static string Advice(HttpStatusCode status, Endpoint endpoint, int attempts) => (endpoint, status) switch
    {
        (Endpoint.Token, HttpStatusCode.Unauthorized) =>
            ": the tenant refused the management client's credentials. Check Auth0__ManagementClientId and Auth0__ManagementClientSecret.",
        (Endpoint.Token, HttpStatusCode.Forbidden) =>
            ": the management client may not get Management API tokens. Authorize it for the Auth0 Management API "
            + "(Applications > APIs > Auth0 Management API > Machine To Machine Applications).",
        (Endpoint.Management, HttpStatusCode.Unauthorized) =>
            " even with a freshly fetched token. Check that Auth0__Authority names the tenant that issued the token, "
            + "whose Management API audience is that authority followed by api/v2/.",
        (Endpoint.Management, HttpStatusCode.Forbidden) =>
            ": the management client lacks a scope. Grant it read:users, update:users, read:clients, update:clients, "
            + "read:client_grants and update:client_grants on the Auth0 Management API.",
        (Endpoint.Management, HttpStatusCode.NotFound) =>
            ". Check the agent's principal id: the user, client or grant may not exist in this tenant (or was deleted).",
        (_, HttpStatusCode.BadRequest) =>
            ". Auth0 rejected what was sent; its message names the bad field.",
        (_, HttpStatusCode.RequestTimeout or >= HttpStatusCode.InternalServerError) =>
            $" on {Attempts(attempts)}. The tenant may be degraded (see its status page); try again later or allow more attempts (Retry.MaxAttempts).",
        _ => ".",
    };

    private static string Attempts(int attempts) => attempts == 1 ? "1 attempt" : $"{attempts} attempts";

    private static string Describe(Auth0RateLimit? rateLimit) => rateLimit is null
        ? "no x-ratelimit headers"
        : string.Create(CultureInfo.InvariantCulture, $"limit {rateLimit.Limit?.ToString(CultureInfo.InvariantCulture) ?? "?"}, remaining {rateLimit.Remaining?.ToString(CultureInfo.InvariantCulture) ?? "?"}, resets at {rateLimit.Reset?.ToString("O", CultureInfo.InvariantCulture) ?? "?"}");

    private static async Task<string> ReadTextAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return Truncate(Encoding.UTF8.GetString(bytes));
    }

    private static Auth0ErrorBody? TryParse(string text)
    {
        if (text.Length == 0 || text[0] != '{')
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(text, ManagementJsonContext.Default.Auth0ErrorBody);
        }
        catch (JsonException)
        {
            // Not Auth0's error shape (a proxy's page, a truncated body): the raw text is kept in Body.
            return null;
        }
    }

    private static string Truncate(string text) => text.Length <= MaxBodyChars ? text : text[..MaxBodyChars];
}
