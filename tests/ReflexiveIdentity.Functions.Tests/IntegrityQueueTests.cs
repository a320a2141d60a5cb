using System.Text;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Http;
using ReflexiveIdentity.Adapters.Queues;
using ReflexiveIdentity.Functions.Http;
using ReflexiveIdentity.Functions.Queues;
using ReflexiveIdentity.Http.Security;

namespace ReflexiveIdentity.Functions.Tests;

/// <summary>
/// The immediate response through a real storage queue (Azurite, started by <c>.ci/run</c> or
/// <c>bash scripts/azurite.sh</c>): an event sent to the events function lands on <c>agent-integrity</c>
/// as a Base64 message naming the agent, and the queue function processes it.
/// </summary>
public sealed class IntegrityQueueTests : IAsyncLifetime
{
    private WorkerHost worker = null!;

    public async Task InitializeAsync() => worker = await WorkerHost.StartAsync();

    public async Task DisposeAsync() => await worker.DisposeAsync();

    [Fact]
    public async Task RecordedEvent_QueuesTheAgentForTheImmediateResponse()
    {
        var queue = new QueueClient("UseDevelopmentStorage=true", QueueIntegrityTrigger.QueueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        try
        {
            await queue.CreateIfNotExistsAsync();
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or AggregateException)
        {
            Assert.Fail($"Azurite is not answering on 127.0.0.1:10001 ({ex.Message}); start it with `bash scripts/azurite.sh`.");
        }

        await queue.ClearMessagesAsync();
        var body = $$"""{"kind":"retry","at":"{{DateTimeOffset.UtcNow.AddSeconds(-1):O}}","detail":{"of":"generate.report"} }""";
        var context = new DefaultHttpContext { RequestServices = worker.Host.Services };
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        context.Response.Body = new MemoryStream();
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        context.Request.Headers[WebhookSignature.TimestampHeader] = ts.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Request.Headers[WebhookSignature.SignatureHeader] = WebhookSignature.Sign(WorkerHost.Secret, ts, Encoding.UTF8.GetBytes(body));

        await worker.Function<AgentActivityFunctions>().Events(context.Request, "agent_omega", CancellationToken.None);

        Assert.Equal(202, context.Response.StatusCode);
        var message = Assert.Single((await queue.ReceiveMessagesAsync(maxMessages: 10)).Value);
        Assert.Equal("agent_omega", message.Body.ToString());

        await worker.Function<IntegrityResponderFunction>().Run(message.Body.ToString(), CancellationToken.None);
    }
}
