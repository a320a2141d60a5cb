namespace ReflexiveIdentity.Cli.Tests.Telemetry;

/// <summary>
/// The service's activity source and meter are process-wide, so tests that read them run alone: no
/// other test's requests land in their exporters.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialTelemetry
{
    public const string Name = "telemetry";
}
