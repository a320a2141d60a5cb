using System.Globalization;
using System.Text.Json;
using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Ledger.Payloads;

namespace ReflexiveIdentity.Reasoning;

/// <summary>
/// The judge's view of what an agent did lately: one short line per ledger entry (time, kind, and the
/// scope, outcome or decision), never a raw payload, detail text, secret or token.
/// </summary>
public static class RecentActions
{
    /// <summary>How many recent entries the webhook shows the judge.</summary>
    public const int DefaultCount = 10;

    private const int MaxFieldLength = 64;

    /// <summary>One line per entry, in the order given.</summary>
    public static IReadOnlyList<string> Summarize(IEnumerable<LedgerEntry> entries) => entries.Select(Summarize).ToList();

    /// <summary>One line for <paramref name="entry"/>, e.g. <c>2026-12-04T15:58:00Z event_recorded stage_completed scope=read.dataset outcome=success</c>.</summary>
    public static string Summarize(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var at = entry.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return $"{at} {Field(entry.Kind)}{Details(entry)}";
    }

    private static string Details(LedgerEntry entry)
    {
        if (!LedgerEntryKinds.TryParse(entry.Kind, out var kind))
        {
            return string.Empty;
        }

        try
        {
            return kind switch
            {
                LedgerEntryKind.ElevationDecided => Elevation(LedgerJsonContext.Deserialize<ElevationDecidedPayload>(entry.Payload)),
                LedgerEntryKind.EventRecorded => Event(LedgerJsonContext.Deserialize<EventRecordedPayload>(entry.Payload)),
                LedgerEntryKind.SignalRecorded => Signal(LedgerJsonContext.Deserialize<SignalRecordedPayload>(entry.Payload)),
                _ => string.Empty,
            };
        }
        catch (JsonException)
        {
            return string.Empty;
        }
    }

    private static string Elevation(ElevationDecidedPayload payload) =>
        $" decision={Field(payload.Decision)} requested={Scopes(payload.RequestedScopes)} granted={Scopes(payload.GrantedScopes)}";

    private static string Event(EventRecordedPayload payload) =>
        $" {Field(payload.Kind)}{(payload.Scope is null ? string.Empty : $" scope={Field(payload.Scope)}")}{(payload.Outcome is null ? string.Empty : $" outcome={Field(payload.Outcome)}")}";

    private static string Signal(SignalRecordedPayload payload) =>
        string.Create(CultureInfo.InvariantCulture, $" source={Field(payload.Source)} kind={Field(payload.Kind)} severity={payload.Severity:0.##}");

    private static string Scopes(IReadOnlyList<string> scopes) => "[" + string.Join(",", scopes.Select(Field)) + "]";

    // Agent-supplied names are kept short and on one line; the judge sees them as data either way.
    private static string Field(string value)
    {
        var line = new string([.. value.Where(c => !char.IsControl(c))]);
        return line.Length <= MaxFieldLength ? line : line[..MaxFieldLength];
    }
}
