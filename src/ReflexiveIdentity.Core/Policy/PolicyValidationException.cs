namespace ReflexiveIdentity.Policy;

/// <summary>The policy file is unusable; the message names the file, the field and what is wrong.</summary>
public sealed class PolicyValidationException : Exception
{
    /// <summary>Creates the exception for <paramref name="field"/> (a JSON path such as <c>$.scopes.share.output.min_trust</c>).</summary>
    public PolicyValidationException(string source, string field, string problem)
        : base($"{source}: {field} {problem}. Fix the policy file (setting Policy__Path) and start again.")
    {
        Source = source;
        Field = field;
    }

    /// <summary>The JSON path of the offending field.</summary>
    public string Field { get; }
}
