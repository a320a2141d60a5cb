namespace ReflexiveIdentity.Trust;

/// <summary>
/// The names of the trust score's components, as the policy file, the ledger and the HTTP API spell them,
/// and the fixed order in which every assessment lists them.
/// </summary>
public static class TrustComponents
{
    /// <summary>The agent's own token failed verification.</summary>
    public const string TokenVerificationFailures = "token_verification_failures";

    /// <summary>Elevations denied or blocked, and signed requests rejected as invalid.</summary>
    public const string ElevationDenials = "elevation_denials";

    /// <summary>Retries beyond the free allowance.</summary>
    public const string RepetitiveRetries = "repetitive_retries";

    /// <summary>Stage transitions outside the expected stage graph (configured, or learned for the agent).</summary>
    public const string UnexpectedCommandSequences = "unexpected_command_sequences";

    /// <summary>API calls well above the agent's own baseline rate.</summary>
    public const string AbnormalApiUsage = "abnormal_api_usage";

    /// <summary>Judge verdicts of inconsistency, inflated confidence, and actions that did not follow the stated intent.</summary>
    public const string InconsistentReasoning = "inconsistent_reasoning";

    /// <summary>Severity-weighted outside signals (policy engine, peer consensus, monitoring).</summary>
    public const string ExternalSignals = "external_signals";

    /// <summary>Every component, in the order assessments list them.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        TokenVerificationFailures,
        ElevationDenials,
        RepetitiveRetries,
        UnexpectedCommandSequences,
        AbnormalApiUsage,
        InconsistentReasoning,
        ExternalSignals,
    ];
}
