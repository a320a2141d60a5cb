namespace ReflexiveIdentity.Http.Contracts;

/// <summary>An RFC 9457 problem (<c>application/problem+json</c>) with the stable <c>code</c> callers switch on.</summary>
public sealed record ProblemBody
{
    /// <summary>A URI naming the problem type.</summary>
    public required string Type { get; init; }

    /// <summary>A short, stable summary.</summary>
    public required string Title { get; init; }

    /// <summary>The HTTP status.</summary>
    public required int Status { get; init; }

    /// <summary>What went wrong and what to do about it.</summary>
    public required string Detail { get; init; }

    /// <summary>The stable, machine-readable code.</summary>
    public required string Code { get; init; }

    /// <summary>The ledger entry that recorded the rejection.</summary>
    public string? LedgerEntry { get; init; }

    /// <summary>Per-field errors, for 422.</summary>
    public IReadOnlyList<FieldErrorBody>? Errors { get; init; }
}

/// <summary>One invalid field.</summary>
public sealed record FieldErrorBody(string Field, string Message);
