using ReflexiveIdentity.Ledger.Payloads;

namespace ReflexiveIdentity.Ledger;

/// <summary>Records every rejected request in the ledger: nothing that reaches a handler is lost.</summary>
public sealed class RejectionLog(ILedger ledger, TimeProvider time)
{
    /// <summary>The chain that holds rejections not attributable to an agent (unsigned or malformed requests).</summary>
    public const string ServiceChain = "$service";

    /// <summary>
    /// Appends the rejection and returns its entry id. <paramref name="agentId"/> is the agent the request was
    /// about, only when the request was authenticated (signed) and named a valid agent id; otherwise the
    /// rejection goes to the service's own chain, so that unsigned traffic cannot write into an agent's history.
    /// </summary>
    public async Task<string> RecordAsync(string? agentId, RequestRejectedPayload rejection, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var appended = await ledger.AppendAsync(
            new LedgerAppend
            {
                ChainId = agentId ?? ServiceChain,
                Kind = LedgerEntryKind.RequestRejected,
                OccurredAt = now,
                RecordedAt = now,
                Payload = LedgerJsonContext.Serialize(rejection),
            },
            cancellationToken).ConfigureAwait(false);
        return appended.Entry.Id;
    }
}
