using ReflexiveIdentity.Http.Contracts;

namespace ReflexiveIdentity.Http.Problems;

/// <summary>A problem to answer with; <see cref="Problems"/> holds one factory per stable code.</summary>
public sealed record Problem(int Status, string Code, string Title, string Detail, IReadOnlyList<FieldErrorBody>? Errors = null)
{
    /// <summary>The RFC 9457 body, with the ledger entry that recorded the rejection.</summary>
    public ProblemBody ToBody(string? ledgerEntry) => new()
    {
        Type = $"urn:reflexive-identity:problem:{Code}",
        Title = Title,
        Status = Status,
        Detail = Detail,
        Code = Code,
        LedgerEntry = ledgerEntry,
        Errors = Errors,
    };
}
