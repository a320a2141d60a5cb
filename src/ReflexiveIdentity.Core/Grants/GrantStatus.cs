namespace ReflexiveIdentity.Grants;

/// <summary>The state of an elevation grant at a given time.</summary>
public enum GrantStatus
{
    /// <summary>Within its lifetime and not revoked.</summary>
    Active,

    /// <summary>Past its expiry.</summary>
    Expired,

    /// <summary>Revoked before its expiry (quarantine or operator).</summary>
    Revoked,
}
