using System.CommandLine;
using System.Text.Json;
using ReflexiveIdentity.Cli.Hosting;
using ReflexiveIdentity.Http.Contracts;
using ReflexiveIdentity.Http.Endpoints;
using ReflexiveIdentity.Http.Settings;
using ReflexiveIdentity.Ledger;

namespace ReflexiveIdentity.Cli.Commands;

/// <summary><c>reflexive ledger verify [--agent ID] [--json]</c>: exit 0 when every chain holds, 1 naming the first broken entry.</summary>
internal static class LedgerVerifyCommand
{
    public static Command Create()
    {
        var agent = new Option<string?>("--agent") { Description = "Verify only this agent's chain." };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON (the body of GET /api/v1/ledger/verify)." };
        var verify = new Command("verify", "Verify the hash chains of the ledger (Ledger__SqlitePath).") { agent, json };
        verify.SetAction(async (parse, cancellationToken) =>
        {
            var settings = LedgerSettings.Load(LocalSettings.Build(parse.GetValue(CommonOptions.Settings)));
            if (settings.Provider == LedgerProvider.Sqlite && !File.Exists(settings.SqlitePath))
            {
                await Console.Error.WriteLineAsync($"No ledger at {settings.SqlitePath}. Set Ledger__SqlitePath (or --settings) to the ledger file.").ConfigureAwait(false);
                return 2;
            }

            var ledger = settings.Open();
            using var disposable = ledger as IDisposable;
            var results = await new LedgerVerifier(ledger).VerifyAsync(parse.GetValue(agent), cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(LedgerEndpoint.ToBody(results), ReflexiveJsonContext.Default.LedgerVerificationBody));
            }
            else
            {
                Print(settings.Description, results);
            }

            return results.All(r => r.IsIntact) ? 0 : 1;
        });

        return new Command("ledger", "Operate on the ledger.") { verify, LedgerMigrateCommand.Create() };
    }

    private static void Print(string ledger, IReadOnlyList<ChainVerification> results)
    {
        Console.WriteLine($"Ledger {ledger}");
        if (results.Count == 0)
        {
            Console.WriteLine("  (no entries)");
        }

        foreach (var result in results)
        {
            Console.WriteLine(result.FirstBroken is { } broken
                ? $"  BROKEN  {result.ChainId}: first broken entry {broken.EntryId}: {broken.Problem} ({result.VerifiedEntries} entries verified before it)"
                : $"  ok      {result.ChainId}: {result.VerifiedEntries} entries, head {result.HeadHash?[..12]}");
        }

        var brokenChains = results.Count(r => !r.IsIntact);
        Console.WriteLine(brokenChains == 0 ? $"All {results.Count} chain(s) intact." : $"{brokenChains} of {results.Count} chain(s) broken.");
    }
}
