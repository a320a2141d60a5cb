namespace ReflexiveIdentity.Auth0Emulation.Seed;

/// <summary>A seed file or seed object that cannot be used; the message names the file and the field.</summary>
public sealed class SeedException : Exception
{
    public SeedException()
    {
    }

    public SeedException(string message)
        : base(message)
    {
    }

    public SeedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
