using System.CommandLine;
using ReflexiveIdentity.Adapters.Ledger;
using ReflexiveIdentity.Ledger;

namespace ReflexiveIdentity.Cli.Commands;

/// <summary>
/// <c>reflexive ledger migrate --from sqlite:PATH --to tables:CONNECTION</c>: copies every chain verbatim
/// (seq, timestamps, hashes), the agents and the grants, then verifies every chain on the target.
/// Resumable: what the target already holds is skipped. Exit 0 only when every target chain verifies.
/// </summary>
internal static class LedgerMigrateCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "The source: sqlite:PATH or tables:CONNECTION (connection string or table service URI).", Required = true };
        var to = new Option<string>("--to") { Description = "The target: sqlite:PATH or tables:CONNECTION.", Required = true };
        var prefix = new Option<string>("--tables-prefix") { Description = "Table-name prefix on the Tables side.", DefaultValueFactory = _ => TablesLedger.DefaultPrefix };
        var command = new Command("migrate", "Move a ledger between SQLite and Azure Table storage, verifying every chain after the move.") { from, to, prefix };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var source = Open(parse.GetValue(from)!, parse.GetValue(prefix)!, mustExist: true);
            using var target = Open(parse.GetValue(to)!, parse.GetValue(prefix)!, mustExist: false);
            var progress = new Progress<LedgerMigrationProgress>(p =>
            {
                if (p.ChainId is not null)
                {
                    Console.WriteLine($"  [{p.ChainsDone}/{p.ChainsTotal}] {p.ChainId}: {p.EntriesCopied} entries copied, {p.EntriesSkipped} already there");
                }
            });
            var result = await LedgerMigration.MigrateAsync((ILedger)source, (ILedger)target, progress, cancellationToken).ConfigureAwait(false);
            var broken = result.Verification.Where(v => !v.IsIntact).ToList();
            Console.WriteLine($"Migrated {result.Chains} chain(s): {result.EntriesCopied} entries copied ({result.EntriesSkipped} already present), {result.AgentsCopied} agents, {result.GrantsCopied} grants.");
            foreach (var chain in broken)
            {
                Console.WriteLine($"  BROKEN on the target: {chain.ChainId}: first broken entry {chain.FirstBroken!.EntryId}: {chain.FirstBroken.Problem}");
            }

            Console.WriteLine(broken.Count == 0 ? $"All {result.Verification.Count} chain(s) verify on the target." : $"{broken.Count} chain(s) do not verify on the target.");
            return broken.Count == 0 ? 0 : 1;
        });
        return command;
    }

    private static IDisposable Open(string location, string prefix, bool mustExist)
    {
        var colon = location.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? string.Empty : location[..colon];
        var value = colon < 0 ? string.Empty : location[(colon + 1)..];
        switch (kind)
        {
            case "sqlite" when value.Length > 0:
                if (mustExist && !File.Exists(value))
                {
                    throw new FileNotFoundException($"No SQLite ledger at {Path.GetFullPath(value)}.", value);
                }

                return SqliteLedger.Open(value);
            case "tables" when value.Length > 0:
                if (!TablesConnection.TryParse(value, Environment.GetEnvironmentVariable("AZURE_CLIENT_ID"), out var connection, out var problem))
                {
                    throw new InvalidDataException($"'{kind}:...' is not a usable Table storage location: {problem}");
                }

                return TablesLedger.Open(connection, prefix);
            default:
                throw new InvalidDataException($"'{location}' names no ledger: use sqlite:PATH or tables:CONNECTION (a connection string such as UseDevelopmentStorage=true, or https://<account>.table.core.windows.net).");
        }
    }
}
