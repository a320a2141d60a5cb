using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ReflexiveIdentity.Testing.Reasoning;

/// <summary>
/// A local Azure OpenAI on Kestrel (127.0.0.1, a free port) that speaks the chat-completions protocol:
/// <c>POST /openai/deployments/{deployment}/chat/completions?api-version=...</c> answers a
/// <c>chat.completion</c> whose <c>choices[0].message.content</c> comes from <see cref="Answer"/>. Every
/// request is recorded. <see cref="Slow"/> answers only when the caller gives up.
/// </summary>
internal sealed class ChatCompletionsServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<ChatCall> calls = new();
    private WebApplication app = null!;

    private ChatCompletionsServer()
    {
    }

    /// <summary>The resource endpoint to give the client, e.g. <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>The content of the assistant message for a call; null makes the server wait until the caller aborts.</summary>
    public Func<ChatCall, string?> Answer { get; set; } = _ => """{"verdict":"consistent","consistent_scopes":[],"detail":"unscripted"}""";

    /// <summary>Every call so far, in arrival order.</summary>
    public IReadOnlyList<ChatCall> Calls => [.. calls];

    /// <summary>An answer that never comes: the server waits until the client cancels.</summary>
    public static string? Slow(ChatCall call) => null;

    public static async Task<ChatCompletionsServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var server = new ChatCompletionsServer { app = builder.Build() };
        server.app.MapPost("/openai/deployments/{deployment}/chat/completions", server.CompleteAsync);
        await server.app.StartAsync();
        server.Endpoint = new Uri(server.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task CompleteAsync(HttpContext context, string deployment)
    {
        var body = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted))!.AsObject();
        var call = new ChatCall(deployment, context.Request.Query["api-version"].ToString(), context.Request.Headers["api-key"].ToString(), body);
        calls.Enqueue(call);
        var content = Answer(call);
        if (content is null)
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        var completion = new JsonObject
        {
            ["id"] = "chatcmpl-local-" + calls.Count,
            ["object"] = "chat.completion",
            ["created"] = 1_733_328_000,
            ["model"] = deployment,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 100, ["completion_tokens"] = 20, ["total_tokens"] = 120 },
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(completion.ToJsonString(), context.RequestAborted);
    }
}

/// <summary>One chat-completions request as received.</summary>
internal sealed record ChatCall(string Deployment, string ApiVersion, string ApiKey, JsonObject Body)
{
    public JsonArray Messages => Body["messages"]!.AsArray();

    public string System => Content("system");

    public string User => Content("user");

    private string Content(string role)
    {
        var message = Messages.Single(m => m!["role"]!.GetValue<string>() == role)!;
        var content = message["content"]!;
        return content is JsonArray parts ? string.Concat(parts.Select(p => p!["text"]!.GetValue<string>())) : content.GetValue<string>();
    }
}
