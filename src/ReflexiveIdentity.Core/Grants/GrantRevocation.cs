using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Ledger.Payloads;

namespace ReflexiveIdentity.Grants;

/// <summary>Revokes a grant before its expiry and records who and why in the agent's chain.</summary>
public sealed class GrantRevocation(ILedger ledger, TimeProvider time)
{
    /// <summary>Revokes <paramref name="grantId"/>; null when there is no such grant. Revoking twice keeps the first revocation.</summary>
    public async Task<Grant?> RevokeAsync(string grantId, string revokedBy, string reason, CancellationToken cancellationToken)
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
                ChainId = grant.AgentId,
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
