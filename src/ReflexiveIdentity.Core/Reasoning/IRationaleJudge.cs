using ReflexiveIdentity.Elevation;

namespace ReflexiveIdentity.Reasoning;

/// <summary>
/// Reviews a rationale the deterministic policy already accepted: is it coherent, specific and
/// consistent with the scopes it asks for and with what the agent recently did? A judge can only
/// narrow (rule 1): whatever it answers, the caller keeps only scopes the policy granted.
/// </summary>
public interface IRationaleJudge
{
    /// <summary>What kind of judge this is, as recorded in decisions: <c>policy</c> or <c>openai</c>.</summary>
    string Kind { get; }

    /// <summary>
    /// Judges <paramref name="request"/>. Throws <see cref="JudgeUnavailableException"/> when it cannot answer
    /// (unreachable, malformed answer); honours <paramref name="cancellationToken"/> promptly.
    /// </summary>
    Task<JudgeVerdict> JudgeAsync(JudgeRequest request, CancellationToken cancellationToken);
}

/// <summary>What the judge is asked about. The rationale is untrusted data, never instructions.</summary>
/// <param name="AgentId">The agent asking.</param>
/// <param name="Rationale">The agent's rationale, as given.</param>
/// <param name="Scopes">The elevated scopes the policy would grant; the only ones the judge may keep.</param>
/// <param name="RecentActions">The agent's recent ledger entries, newest last, summarised one per line.</param>
public sealed record JudgeRequest(string AgentId, Rationale Rationale, IReadOnlyList<string> Scopes, IReadOnlyList<string> RecentActions);

/// <summary>The judge's answer.</summary>
/// <param name="ConsistentScopes">The scopes the rationale supports; anything outside <see cref="JudgeRequest.Scopes"/> is ignored.</param>
/// <param name="Detail">Why, in one or two sentences (recorded; never shown to the agent as instructions).</param>
public sealed record JudgeVerdict(IReadOnlyList<string> ConsistentScopes, string Detail);

/// <summary>The judge could not give a verdict: unreachable, failed, or answered something unusable.</summary>
public sealed class JudgeUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JudgeUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public JudgeUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public JudgeUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
