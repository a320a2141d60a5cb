namespace ReflexiveIdentity.Auth0Emulation;

/// <summary>
/// The emulator's clock, kept out of the container as a bare <see cref="TimeProvider"/> so a test's
/// fake clock drives tokens and rate limits without also driving Kestrel's own timeouts.
/// </summary>
internal sealed record TenantClock(TimeProvider Time);
