using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ReflexiveIdentity.Http.Problems;

namespace ReflexiveIdentity.Http.Endpoints;

/// <summary>
/// The one place an unexpected failure becomes a response: logged (without the body or headers) and
/// answered 500 problem+json. Nothing is granted on that path, so the Action fails closed.
/// </summary>
public sealed class EndpointGuard(ILogger<EndpointGuard> logger)
{
    public async Task RunAsync(HttpContext context, string route, Func<Task> handler)
    {
        try
        {
            await handler().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            Log.RequestAborted(logger, route);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.HandlerFailed(logger, route, ex);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await ResponseWriter.WriteProblemAsync(context.Response, Problems.Problems.Internal(), null, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }
}
