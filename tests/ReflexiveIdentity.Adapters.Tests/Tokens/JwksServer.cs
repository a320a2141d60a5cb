using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace ReflexiveIdentity.Adapters.Tests.Tokens;

/// <summary>A tenant's discovery and JWKS documents on a loopback HttpListener, with keys the test controls and counts of fetches.</summary>
internal sealed class JwksServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private volatile RsaSecurityKey[] published;

    public JwksServer(params RsaSecurityKey[] keys)
    {
        published = keys;
        var port = FreePort();
        Authority = new Uri($"http://127.0.0.1:{port}/");
        listener.Prefixes.Add(Authority.AbsoluteUri);
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public Uri Authority { get; }

    public int JwksFetches;

    public void Publish(params RsaSecurityKey[] keys) => published = keys;

    public static RsaSecurityKey NewKey(string kid) => new(RSA.Create(2048)) { KeyId = kid };

    public void Dispose()
    {
        stop.Cancel();
        listener.Close();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener was closed under a pending accept.
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
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }

            var body = context.Request.Url!.AbsolutePath switch
            {
                "/.well-known/openid-configuration" => new JsonObject
                {
                    ["issuer"] = Authority.AbsoluteUri,
                    ["jwks_uri"] = new Uri(Authority, ".well-known/jwks.json").AbsoluteUri,
                }.ToJsonString(),
                "/.well-known/jwks.json" => Jwks(),
                _ => null,
            };
            context.Response.StatusCode = body is null ? 404 : 200;
            context.Response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(body ?? "{}");
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private string Jwks()
    {
        Interlocked.Increment(ref JwksFetches);
        var keys = new JsonArray();
        foreach (var key in published)
        {
            var parameters = key.Rsa.ExportParameters(false);
            keys.Add(new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["kid"] = key.KeyId,
                ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
            });
        }

        return new JsonObject { ["keys"] = keys }.ToJsonString();
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
