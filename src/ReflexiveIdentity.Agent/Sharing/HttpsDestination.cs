using System.Net.Http.Json;
using ReflexiveIdentity.Omega.Report;

namespace ReflexiveIdentity.Omega.Sharing;

/// <summary>
/// POSTs the report as JSON <c>{name, markdown, html, generated_at}</c> to an HTTPS endpoint, with an optional header
/// (a bearer token, an API key). Plain http is refused except to a loopback address. Any answer but 2xx is a
/// <see cref="ReportDeliveryException"/> carrying the status.
/// </summary>
public sealed class HttpsDestination : IReportDestination
{
    private static readonly Lazy<HttpClient> SharedClient = new(() => new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }));

    private readonly HttpClient httpClient;
    private readonly ReportRequestHeader? header;

    /// <param name="endpoint">An https URI, or http to a loopback host.</param>
    /// <param name="httpClient">The client to send with; a shared one when null.</param>
    /// <param name="header">A header to send, or none.</param>
    public HttpsDestination(Uri endpoint, HttpClient? httpClient = null, ReportRequestHeader? header = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!IsAllowed(endpoint, out var problem))
        {
            throw new ArgumentException(problem, nameof(endpoint));
        }

        Endpoint = endpoint;
        this.httpClient = httpClient ?? SharedClient.Value;
        this.header = header;
    }

    public Uri Endpoint { get; }

    /// <summary>The endpoint without its query (which may hold a key).</summary>
    public string Description => $"endpoint {Endpoint.GetLeftPart(UriPartial.Path)}";

    /// <summary>Absolute https, or http to loopback; no user info (credentials go in a header).</summary>
    public static bool IsAllowed(Uri endpoint, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        problem = !endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp)
            ? "A report endpoint is an absolute https:// URI."
            : endpoint.Scheme == Uri.UriSchemeHttp && !endpoint.IsLoopback
                ? $"Refusing plain http to {endpoint.Host}: reports go over https (plain http only to a loopback address)."
                : !string.IsNullOrEmpty(endpoint.UserInfo)
                    ? "A report endpoint must not carry credentials in the URI; pass them as a header."
                    : null;
        return problem is null;
    }

    public async Task<ReportDelivery> DeliverAsync(RenderedReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint)
        {
            Content = JsonContent.Create(new ReportPostBody(report.Name, report.Markdown, report.Html, report.GeneratedAt), SharingJsonContext.Default.ReportPostBody),
        };
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation(header.Name, header.Value);
        }

        HttpResponseMessage response;
        try
        {
            response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new ReportDeliveryException($"Could not reach {Description}: {ex.Message}", ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new ReportDeliveryException(
                    $"The {Description} refused the report: {(int)response.StatusCode} {response.ReasonPhrase}.", (int)response.StatusCode);
            }

            var location = response.Headers.Location is { } answered
                ? new Uri(Endpoint, answered).GetLeftPart(UriPartial.Path)
                : Endpoint.GetLeftPart(UriPartial.Path);
            return new ReportDelivery(location, [location]);
        }
    }
}
