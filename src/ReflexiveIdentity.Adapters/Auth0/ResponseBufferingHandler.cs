namespace ReflexiveIdentity.Adapters.Auth0;

/// <summary>
/// Reads the whole response body inside the attempt, so a body that stalls is caught by the
/// per-attempt timeout (and retried) rather than by HttpClient after the pipeline has returned.
/// Auth0's answers are small; anything past <see cref="MaxBytes"/> is an error.
/// </summary>
internal sealed class ResponseBufferingHandler : DelegatingHandler
{
    public const long MaxBytes = 4 * 1024 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            await response.Content.LoadIntoBufferAsync(MaxBytes, cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
