namespace ReflexiveIdentity.Auth0Emulation.Tests.Support;

/// <summary>One emulator without Actions, shared by a class whose tests do not change the tenant.</summary>
public sealed class ActionlessEmulatorFixture : IAsyncLifetime
{
    private EmulatorHost? _host;

    internal EmulatorHost Host => _host ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync() => _host = await EmulatorHost.StartAsync(o => o.Seed = TestSeeds.WithoutActions());

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
