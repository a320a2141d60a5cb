using ReflexiveIdentity.Ledger.Payloads;

namespace ReflexiveIdentity.Ledger;

/// <summary>Records every rejected request in the ledger: nothing that reaches a handler is lost.</summary>
public sealed class RejectionLog(ILedger ledger, TimeProvider time)
{
    /// <summary>The chain that holds rejections not attributable to an agent (unsigned or malformed requests).</summary>
    public const string ServiceChain = "$service";

    /// <summary>Appends the rejection and returns its entry id.</summary>
    public async Task<string> RecordAsync(RejectedRequest rejection, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var payload = new RequestRejectedPayload
        {
            Route = rejection.Route,
            Status = rejection.Status,
            Code = rejection.Code,
            Detail = rejection.Detail,
            BodySha256 = rejection.BodySha256,
            BodyBytes = rejection.BodyBytes,
            RequestId = rejection.RequestId,
            RemoteIp = rejection.RemoteIp,
        };
        var appended = await ledger.AppendAsync(
            new LedgerAppend
            {
                ChainId = rejection.AgentId ?? ServiceChain,
                Kind = LedgerEntryKind.RequestRejected,
                OccurredAt = now,
                RecordedAt = now,
                Payload = LedgerJsonContext.Serialize(payload),
            },
            cancellationToken).ConfigureAwait(false);
        return appended.Entry.Id;
    }
}
