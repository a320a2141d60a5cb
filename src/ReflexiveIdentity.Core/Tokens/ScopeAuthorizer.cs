using ReflexiveIdentity.Grants;
using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Policy;

namespace ReflexiveIdentity.Tokens;

/// <summary>
/// Decides whether a bearer token may perform an action that needs <c>scope</c>. For an elevated
/// scope (in the policy and not baseline) the token's elevation claim must name the scope, and the
/// grant it names must be active in the ledger now, held by the token's own principal: a revocation
/// takes effect at once, not at token expiry.
/// </summary>
public sealed class ScopeAuthorizer(IAccessTokenValidator validator, ILedger ledger, PolicyDocument policy, TimeProvider time)
{
    /// <summary>Authorizes <paramref name="bearerToken"/> (may be null) for <paramref name="scope"/>.</summary>
    public async Task<ScopeAuthorization> AuthorizeAsync(string? bearerToken, string scope, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(bearerToken))
        {
            return new ScopeAuthorization(ScopeAuthorizationCode.TokenMissing, "No bearer token was presented.", null);
        }

        var validation = await validator.ValidateAsync(bearerToken, cancellationToken).ConfigureAwait(false);
        if (validation.Token is not { } token)
        {
            return new ScopeAuthorization(ScopeAuthorizationCode.TokenInvalid, validation.Failure!, null);
        }

        if (!token.Scopes.Contains(scope, StringComparer.Ordinal))
        {
            return new ScopeAuthorization(ScopeAuthorizationCode.ScopeMissing, $"The token's scopes ({string.Join(" ", token.Scopes)}) do not include {scope}.", token);
        }

        if (!policy.Scopes.TryGetValue(scope, out var rule) || rule.Baseline)
        {
            return new ScopeAuthorization(ScopeAuthorizationCode.Authorized, $"{scope} granted by the token.", token);
        }

        if (token.Elevation is not { } elevation || !elevation.Scopes.Contains(scope, StringComparer.Ordinal))
        {
            return new ScopeAuthorization(ScopeAuthorizationCode.ElevationMissing, $"{scope} is an elevated scope and the token carries no elevation for it.", token);
        }

        var problem = await CheckGrantAsync(elevation.GrantId, scope, token.Subject, cancellationToken).ConfigureAwait(false);
        return problem is null
            ? new ScopeAuthorization(ScopeAuthorizationCode.Authorized, $"{scope} granted by live grant {elevation.GrantId}.", token)
            : new ScopeAuthorization(ScopeAuthorizationCode.GrantInactive, problem, token);
    }

    private async Task<string?> CheckGrantAsync(string grantId, string scope, string subject, CancellationToken cancellationToken)
    {
        var grant = await ledger.GetGrantAsync(grantId, cancellationToken).ConfigureAwait(false);
        if (grant is null)
        {
            return $"Grant {grantId} does not exist in the ledger.";
        }

        var status = grant.StatusAt(time.GetUtcNow());
        if (status != GrantStatus.Active)
        {
            return status == GrantStatus.Revoked
                ? $"Grant {grantId} was revoked ({grant.RevocationReason})."
                : $"Grant {grantId} expired at {grant.ExpiresAt:O}.";
        }

        if (!grant.Scopes.Contains(scope, StringComparer.Ordinal))
        {
            return $"Grant {grantId} does not cover {scope}.";
        }

        var agent = await ledger.GetAgentAsync(grant.AgentId, cancellationToken).ConfigureAwait(false);
        return agent is not null && string.Equals(agent.Principal.Id, subject, StringComparison.Ordinal)
            ? null
            : $"Grant {grantId} belongs to agent {grant.AgentId}, not to the token's subject.";
    }
}
