using Polly.Timeout;

namespace ReflexiveIdentity.Adapters.Auth0;

/// <summary>
/// Sends one request through an Auth0 HttpClient (whose pipeline retries) and turns every way it can
/// end other than success into an <see cref="Auth0ApiException"/>. Cancellation by the caller is left
/// as the <see cref="OperationCanceledException"/> it is.
/// </summary>
internal static class Auth0Requests
{
    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient http,
        HttpRequestMessage request,
        Auth0ApiErrors.Endpoint endpoint,
        string operation,
        Auth0ManagementOptions options,
        CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException ex)
        {
            throw Auth0ApiErrors.TimedOut(operation, options.Retry.MaxAttempts, options.Retry.AttemptTimeout, ex);
        }
        catch (HttpRequestException ex)
        {
            throw Auth0ApiErrors.Unreachable(operation, options.Retry.MaxAttempts, options.Authority, ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await Auth0ApiErrors.FromResponseAsync(response, endpoint, operation, options.Retry.MaxAttempts, cancellationToken).ConfigureAwait(false);
        }
    }
}
