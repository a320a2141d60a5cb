using System.Security.Cryptography;

namespace ReflexiveIdentity.Grants;

/// <summary>A temporary elevation: the scopes an agent was allowed, until when, and whether it was revoked.</summary>
public sealed record Grant
{
    /// <summary>The grant id, <c>grt_</c> followed by 26 lowercase base32 characters.</summary>
    public required string Id { get; init; }

    /// <summary>The agent the grant belongs to.</summary>
    public required string AgentId { get; init; }

    /// <summary>The elevated scopes granted.</summary>
    public required IReadOnlyList<string> Scopes { get; init; }

    /// <summary>When the grant was issued.</summary>
    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>When the grant expires.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>When the grant was revoked, if it was.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>Why the grant was revoked, if it was.</summary>
    public string? RevocationReason { get; init; }

    /// <summary>Issues a grant of <paramref name="scopes"/> valid from <paramref name="now"/> for <paramref name="lifetime"/>.</summary>
    public static Grant Issue(string agentId, IReadOnlyList<string> scopes, DateTimeOffset now, TimeSpan lifetime) => new()
    {
        Id = NewId(),
        AgentId = agentId,
        Scopes = scopes,
        IssuedAt = now,
        ExpiresAt = now + lifetime,
    };

    /// <summary>The grant's state at <paramref name="now"/>.</summary>
    public GrantStatus StatusAt(DateTimeOffset now) =>
        RevokedAt is not null ? GrantStatus.Revoked
        : now >= ExpiresAt ? GrantStatus.Expired
        : GrantStatus.Active;

    /// <summary>Revokes the grant; revoking an already revoked grant keeps the first revocation.</summary>
    public Grant Revoke(DateTimeOffset now, string reason) =>
        RevokedAt is not null ? this : this with { RevokedAt = now, RevocationReason = reason };

    private static string NewId()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        Span<byte> random = stackalloc byte[26];
        RandomNumberGenerator.Fill(random);
        Span<char> id = stackalloc char[30];
        "grt_".CopyTo(id);
        for (var i = 0; i < random.Length; i++)
        {
            id[4 + i] = alphabet[random[i] & 31];
        }

        return new string(id);
    }
}
