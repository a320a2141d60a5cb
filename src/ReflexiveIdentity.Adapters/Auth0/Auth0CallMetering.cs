using ReflexiveIdentity.Telemetry;

namespace ReflexiveIdentity.Adapters.Auth0;

/// <summary>
/// Counts every HTTP exchange with Auth0 (each attempt, so retries and 429s show) under the operation
/// name the caller set with <see cref="ForOperation"/> (route templates like <c>PATCH users/{id}</c>, never
/// a user id or a query), or the client's default operation. The innermost handler: it sees the wire.
/// </summary>
internal sealed class Auth0CallMetering(string defaultOperation) : DelegatingHandler
{
    private static readonly HttpRequestOptionsKey<string> Operation = new("ReflexiveIdentity.Auth0.Operation");

    /// <summary>Names the operation <paramref name="request"/> performs, for the metrics.</summary>
    public static void ForOperation(HttpRequestMessage request, string operation) => request.Options.Set(Operation, operation);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var operation = request.Options.TryGetValue(Operation, out var named) ? named : defaultOperation;
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            ReflexiveTelemetry.RecordAuth0Call(operation, null, ex.GetType().Name);
            throw;
        }

        ReflexiveTelemetry.RecordAuth0Call(operation, (int)response.StatusCode, null);
        return response;
    }
}
