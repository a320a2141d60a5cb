using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Telemetry;

namespace ReflexiveIdentity.Adapters.Ledger;

/// <summary>Wraps a ledger adapter's append in the <c>ledger.append</c> span, so a decision's trace shows its write.</summary>
internal static class AppendTracing
{
    public static async Task<LedgerAppendResult> TraceAsync(
        string store,
        LedgerAppend append,
        Func<LedgerAppend, CancellationToken, Task<LedgerAppendResult>> write,
        CancellationToken cancellationToken)
    {
        using var activity = ReflexiveTelemetry.StartLedgerAppend(store, append);
        try
        {
            var result = await write(append, cancellationToken).ConfigureAwait(false);
            ReflexiveTelemetry.CompleteLedgerAppend(activity, result);
            return result;
        }
        catch (Exception ex)
        {
            ReflexiveTelemetry.Fail(activity, ex);
            throw;
        }
    }
}
