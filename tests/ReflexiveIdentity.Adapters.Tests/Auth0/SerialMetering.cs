namespace ReflexiveIdentity.Adapters.Tests.Auth0;

/// <summary>
/// The service's meter is process-wide, so the tests that count its Auth0 measurements run alone: no
/// other test's Auth0 calls land in their counts.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialMetering
{
    public const string Name = "auth0-metering";
}
