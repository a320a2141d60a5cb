using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace ReflexiveIdentity.Adapters.Tests.Auth0;

/// <summary>
/// A small Auth0 on a loopback HttpListener that answers from a script: <c>POST /oauth/token</c> issues
/// <c>token-1</c>, <c>token-2</c>, ... (counted), and every <c>/api/v2</c> call takes the next scripted
/// <see cref="Reply"/> (or <see cref="DefaultReply"/>). Every API request is recorded.
/// </summary>
internal sealed class ScriptedAuth0Server : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentQueue<Reply> script = new();
    private readonly Channel<RecordedRequest> requests = Channel.CreateUnbounded<RecordedRequest>();
    private readonly ConcurrentQueue<RecordedRequest> received = new();
    private readonly Channel<int> tokenArrivals = Channel.CreateUnbounded<int>();
    private readonly Task loop;
    private int tokenRequests;

    private ScriptedAuth0Server()
    {
        Authority = new Uri($"http://127.0.0.1:{FreePort()}/");
        listener.Prefixes.Add(Authority.AbsoluteUri);
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    /// <summary>Starts a server on a free loopback port.</summary>
    public static ScriptedAuth0Server Start() => new();

    public Uri Authority { get; }

    public int TokenRequests => Volatile.Read(ref tokenRequests);

    public int TokenLifetimeSeconds { get; set; } = 3600;

    /// <summary>When set, token requests are held until it completes (to line concurrent callers up).</summary>
    public TaskCompletionSource? TokenGate { get; set; }

    /// <summary>What an API call gets when the script is used up.</summary>
    public Reply DefaultReply { get; set; } = Reply.Json(200, "{}");

    /// <summary>Every API request so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Received => [.. received];

    public void Enqueue(params Reply[] replies)
    {
        foreach (var reply in replies)
        {
            script.Enqueue(reply);
        }
    }

    /// <summary>The next API request to arrive (already recorded in <see cref="Received"/>).</summary>
    public Task<RecordedRequest> NextRequestAsync() => requests.Reader.ReadAsync().AsTask().WaitAsync(TestGuard.Hang);

    /// <summary>The next token request to arrive (before <see cref="TokenGate"/> holds it).</summary>
    public Task<int> NextTokenRequestAsync() => tokenArrivals.Reader.ReadAsync().AsTask().WaitAsync(TestGuard.Hang);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Close();
        try
        {
            await loop.WaitAsync(TestGuard.Hang);
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
            // Closed under a pending accept.
        }

        stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var path = request.Url!.AbsolutePath;
            if (request.HttpMethod == "POST" && path == "/oauth/token")
            {
                var n = Interlocked.Increment(ref tokenRequests);
                tokenArrivals.Writer.TryWrite(n);
                if (TokenGate is { } gate)
                {
                    await gate.Task.WaitAsync(stop.Token);
                }

                await WriteAsync(response, Reply.Json(200, $$"""{"access_token":"token-{{n}}","expires_in":{{TokenLifetimeSeconds}},"token_type":"Bearer"}"""));
                return;
            }

            var recorded = new RecordedRequest(request.HttpMethod, request.Url.PathAndQuery, request.Headers["Authorization"], body);
            received.Enqueue(recorded);
            requests.Writer.TryWrite(recorded);
            var reply = script.TryDequeue(out var next) ? next : DefaultReply;
            if (reply.Hang)
            {
                await new TaskCompletionSource().Task.WaitAsync(stop.Token);
            }

            await WriteAsync(response, reply);
        }
        catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException or IOException)
        {
            // The server is stopping, or the client gave up on this request (an attempt timeout).
            try
            {
                response.Abort();
            }
            catch (ObjectDisposedException)
            {
                // Already gone.
            }
        }
    }

    private static async Task WriteAsync(HttpListenerResponse response, Reply reply)
    {
        response.StatusCode = reply.Status;
        foreach (var (name, value) in reply.Headers)
        {
            response.Headers[name] = value;
        }

        var bytes = Encoding.UTF8.GetBytes(reply.Body);
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}

/// <summary>One scripted answer.</summary>
internal sealed record Reply(int Status, string Body, IReadOnlyDictionary<string, string> Headers, bool Hang = false)
{
    public const string TooManyRequestsBody = """{"statusCode":429,"error":"Too Many Requests","message":"Global limit has been reached","errorCode":"too_many_requests"}""";

    public static Reply Json(int status, string body, params (string Name, string Value)[] headers) =>
        new(status, body, headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase));

    /// <summary>A 429 in Auth0's shape with the given headers.</summary>
    public static Reply TooManyRequests(params (string Name, string Value)[] headers) => Json(429, TooManyRequestsBody, headers);

    /// <summary>Never answers (until the server stops).</summary>
    public static Reply Hanging() => new(200, "", new Dictionary<string, string>(), Hang: true);

    public static (string, string) RateLimitHeader(string name, long value) => (name, value.ToString(CultureInfo.InvariantCulture));
}

/// <summary>An API request as the server saw it.</summary>
internal sealed record RecordedRequest(string Method, string PathAndQuery, string? Authorization, string Body);
