namespace ReflexiveIdentity.Elevation;

/// <summary>The three answers to an elevation request.</summary>
public enum DecisionKind
{
    /// <summary>At least one elevated scope granted.</summary>
    Allow,

    /// <summary>No elevated scope granted; the baseline token goes on.</summary>
    Deny,

    /// <summary>No token at all: trust below threshold or agent quarantined.</summary>
    Block,
}
