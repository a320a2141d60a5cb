using System.CommandLine;
using ReflexiveIdentity.Cli.Commands;

var root = new RootCommand("reflexive: Reflexive Identity, the agent-integrity service, on your machine.")
{
    ServeCommand.Create(),
    LedgerVerifyCommand.Create(),
    Auth0EmulatorCommand.Create(),
    SweepCommand.Create(),
    AgentsCommand.Create(),
    SamplesCommand.Create(),
    AgentCommand.Create(),
    DemoCommand.Create(),
};
root.Options.Add(CommonOptions.Settings);
return await CliErrors.RunAsync(() => root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false })).ConfigureAwait(false);
