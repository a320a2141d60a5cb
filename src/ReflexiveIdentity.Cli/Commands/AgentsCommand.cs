using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ReflexiveIdentity.Cli.Hosting;
using ReflexiveIdentity.Http;
using ReflexiveIdentity.Integrity;

namespace ReflexiveIdentity.Cli.Commands;

/// <summary><c>reflexive agents restore ID --reason ...</c>: lift a quarantine, recorded with who and why.</summary>
internal static class AgentsCommand
{
    public static Command Create()
    {
        var agent = new Argument<string>("agent-id") { Description = "The agent to restore." };
        var reason = new Option<string>("--reason") { Description = "Why the quarantine may be lifted (recorded in the ledger).", Required = true };
        var restore = new Command("restore", "Lift a quarantine once the trust score is at or above restore_at, and give the revoked scopes back.") { agent, reason };
        restore.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = new ServiceCollection()
                .AddLogging()
                .AddReflexiveIdentity(LocalSettings.Build(parse.GetValue(CommonOptions.Settings)))
                .BuildServiceProvider();
            var agentId = parse.GetValue(agent)!;
            var outcome = await services.GetRequiredService<AgentRestoration>()
                .RestoreAsync(agentId, $"cli:{Environment.UserName}", parse.GetValue(reason)!, cancellationToken).ConfigureAwait(false);
            Console.WriteLine(outcome.Result switch
            {
                RestoreResult.Restored => $"Restored {agentId}: trust {outcome.TrustScore:0.##}, scopes given back: {string.Join(", ", outcome.RestoredScopes)}{(outcome.DirectoryCalls > 0 ? " (Auth0 updated)" : " (Auth0 not connected: nothing written there)")}.",
                RestoreResult.AgentNotFound => $"No agent '{agentId}' in the ledger.",
                RestoreResult.NotQuarantined => $"{agentId} is not quarantined; nothing to restore.",
                _ => $"{agentId} scores {outcome.TrustScore:0.##}; a restore needs at least {outcome.RestoreAt:0.##} (restore_at). Its penalties decay; try again later.",
            });
            return outcome.Result == RestoreResult.Restored ? 0 : 1;
        });
        return new Command("agents", "Operate on agents.") { restore };
    }
}
