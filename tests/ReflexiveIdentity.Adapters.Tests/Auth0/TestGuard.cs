namespace ReflexiveIdentity.Adapters.Tests.Auth0;

/// <summary>
/// How long a test waits for something that must happen before it declares the code under test hung.
/// A guard against a hanging run, never a timing assertion: the clock under test is a fake one.
/// </summary>
internal static class TestGuard
{
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);
}
