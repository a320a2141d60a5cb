using System.Text.Json;
using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Ledger.Payloads;

namespace ReflexiveIdentity.Agents;

/// <summary>An event an agent reports about its own behaviour.</summary>
/// <param name="Kind">One of <see cref="AgentEventKinds"/>.</param>
/// <param name="Scope">The stage's scope, for stage events.</param>
/// <param name="Outcome"><c>success</c> or <c>failure</c> where it applies.</param>
/// <param name="At">When it happened (may lie in the past, never in the future).</param>
/// <param name="Detail">The agent's structured detail.</param>
public sealed record AgentEvent(string Kind, string? Scope, string? Outcome, DateTimeOffset At, JsonElement? Detail);

/// <summary>Something outside the agent says about it, with a severity in [0, 1].</summary>
public sealed record AgentSignal(string Source, string Kind, double Severity, string? Detail);

/// <summary>
/// Records what agents did and what others say about them in each agent's chain, then tells the
/// immune response that the agent's evidence changed, so a drop below the threshold acts at once.
/// </summary>
public sealed class AgentObservations(ILedger ledger, IIntegrityTrigger trigger, TimeProvider time)
{
    /// <summary>Records an event and returns its entry.</summary>
    public async Task<LedgerEntry> RecordEventAsync(string agentId, AgentEvent agentEvent, string source, CancellationToken cancellationToken)
    {
        var payload = new EventRecordedPayload
        {
            Kind = agentEvent.Kind,
            Scope = agentEvent.Scope,
            Outcome = agentEvent.Outcome,
            Detail = agentEvent.Detail,
            Source = source,
        };
        return await AppendAsync(agentId, LedgerEntryKind.EventRecorded, agentEvent.At, LedgerJsonContext.Serialize(payload), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records a signal and returns its entry.</summary>
    public async Task<LedgerEntry> RecordSignalAsync(string agentId, AgentSignal signal, CancellationToken cancellationToken)
    {
        var payload = new SignalRecordedPayload(signal.Source, signal.Kind, signal.Severity, signal.Detail);
        return await AppendAsync(agentId, LedgerEntryKind.SignalRecorded, time.GetUtcNow(), LedgerJsonContext.Serialize(payload), cancellationToken).ConfigureAwait(false);
    }

    private async Task<LedgerEntry> AppendAsync(string agentId, LedgerEntryKind kind, DateTimeOffset occurredAt, string payload, CancellationToken cancellationToken)
    {
        var appended = await ledger.AppendAsync(
            new LedgerAppend { ChainId = agentId, Kind = kind, OccurredAt = occurredAt, RecordedAt = time.GetUtcNow(), Payload = payload },
            cancellationToken).ConfigureAwait(false);
        await trigger.EvidenceChangedAsync(agentId, cancellationToken).ConfigureAwait(false);
        return appended.Entry;
    }
}

/// <summary>
/// Starts the immune response for one agent whose evidence just changed, without waiting for the
/// scheduled sweep: in the Functions host a queue message, in the CLI host an in-process queue.
/// </summary>
public interface IIntegrityTrigger
{
    /// <summary>
    /// Asks for the agent to be assessed soon. Never throws for a failure to queue: the evidence is in the
    /// ledger already and the scheduled sweep is the backstop, so the caller's request must not fail.
    /// </summary>
    Task EvidenceChangedAsync(string agentId, CancellationToken cancellationToken);
}
