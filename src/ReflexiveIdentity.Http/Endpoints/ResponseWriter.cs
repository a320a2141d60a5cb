using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using ReflexiveIdentity.Http.Contracts;
using ReflexiveIdentity.Http.Problems;

namespace ReflexiveIdentity.Http.Endpoints;

/// <summary>Writes JSON and problem responses; handlers write their own responses so both hosts run them unchanged.</summary>
internal static class ResponseWriter
{
    public static async Task WriteJsonAsync<T>(HttpResponse response, int status, T body, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        await JsonSerializer.SerializeAsync(response.Body, body, type, cancellationToken).ConfigureAwait(false);
    }

    public static Task WriteProblemAsync(HttpResponse response, Problem problem, string? ledgerEntry, CancellationToken cancellationToken)
    {
        response.StatusCode = problem.Status;
        response.ContentType = "application/problem+json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        return JsonSerializer.SerializeAsync(response.Body, problem.ToBody(ledgerEntry), ReflexiveJsonContext.Default.ProblemBody, cancellationToken);
    }
}
