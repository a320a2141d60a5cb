using ReflexiveIdentity.Testing;

namespace ReflexiveIdentity.Omega.Tests;

/// <summary>
/// One <see cref="Azurite"/> for the blob destination tests: the one on the configured ports when it answers, else one
/// started on free ports of its own and stopped afterwards. When it cannot start, the tests fail with the reason.
/// </summary>
[CollectionDefinition(Name)]
public sealed class UsesAzuriteBlobs : ICollectionFixture<Azurite>
{
    public const string Name = "Azurite blobs";
}
