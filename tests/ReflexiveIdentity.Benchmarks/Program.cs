using BenchmarkDotNet.Running;
using ReflexiveIdentity.Benchmarks;

// dotnet run -c Release --project tests/ReflexiveIdentity.Benchmarks -- policy | webhook | ledger | sweep | report | <BenchmarkDotNet args>
return args.FirstOrDefault() switch
{
    "webhook" => await WebhookLoad.RunAsync(args[1..]),
    "ledger" => await LedgerBenchmark.RunAsync(args[1..]),
    "sweep" => await SweepBenchmark.RunAsync(args[1..]),
    "report" => await ReportBenchmark.RunAsync(args[1..]),
    "policy" => PolicyRun(args[1..]),
    _ => Switch(args),
};

static int PolicyRun(string[] rest)
{
    BenchmarkRunner.Run<PolicyDecisionBenchmark>(args: rest);
    return 0;
}

static int Switch(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(PolicyDecisionBenchmark).Assembly).Run(args);
    return 0;
}
