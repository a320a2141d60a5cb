using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Ledger.Payloads;

namespace ReflexiveIdentity.Grants;

/// <summary>Revokes a grant before its expiry and records who and why in the agent's chain.</summary>
public sealed class GrantRevocation(ILedger ledger, TimeProvider time)
{
    /// <summary>Revokes <paramref name="grantId"/>, recorded in the agent's chain; null when there is no such grant.</summary>
    public Task<Grant?> RevokeAsync(string grantId, string revokedBy, string reason, CancellationToken cancellationToken) =>
        RevokeAsync(grantId, revokedBy, reason, null, cancellationToken);

    /// <summary>
    /// Revokes <paramref name="grantId"/>; null when there is no such grant. Revoking twice keeps the first
    /// revocation. The entry goes to the agent's chain unless <paramref name="chainId"/> names another
    /// (the immune response records its revocations in the agent's integrity chain).
    /// </summary>
    public async Task<Grant?> RevokeAsync(string grantId, string revokedBy, string reason, string? chainId, CancellationToken cancellationToken)
    {
        var grant = await ledger.GetGrantAsync(grantId, cancellationToken).ConfigureAwait(false);
        if (grant is null)
        {
            return null;
        }

        if (grant.RevokedAt is not null)
        {
            return grant;
        }

        var now = time.GetUtcNow();
        var revoked = grant.Revoke(now, reason);
        await ledger.AppendAsync(
            new LedgerAppend
            {
                ChainId = chainId ?? grant.AgentId,
                Kind = LedgerEntryKind.GrantRevoked,
                OccurredAt = now,
                RecordedAt = now,
                Payload = LedgerJsonContext.Serialize(new GrantRevokedPayload(grant.Id, grant.Scopes, revokedBy, reason)),
                Grant = revoked,
            },
            cancellationToken).ConfigureAwait(false);
        return revoked;
    }
}
