namespace ReflexiveIdentity.Adapters.Auth0;

/// <summary>One page of a user search with totals (<c>include_totals=true</c>).</summary>
public sealed record UserPage
{
    /// <summary>The users on this page.</summary>
    public required IReadOnlyList<Auth0User> Users { get; init; }

    /// <summary>The index of the first user on this page in the whole result.</summary>
    public int Start { get; init; }

    /// <summary>The page size asked for.</summary>
    public int Limit { get; init; }

    /// <summary>How many users this page holds.</summary>
    public int Length { get; init; }

    /// <summary>How many users match the query in all.</summary>
    public int Total { get; init; }
}
