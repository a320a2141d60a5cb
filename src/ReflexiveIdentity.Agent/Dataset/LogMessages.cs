namespace ReflexiveIdentity.Omega.Dataset;

/// <summary>Which records a <see cref="LogDatasetReader"/> reads the message of.</summary>
public enum LogMessages
{
    /// <summary>Every record's.</summary>
    All,

    /// <summary>Only errors' (status 500 or above, or level error); the others get an empty message.</summary>
    ErrorsOnly,
}
