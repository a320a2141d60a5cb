namespace ReflexiveIdentity.Ledger.Payloads;

/// <summary>What a <c>grant_revoked</c> entry records.</summary>
public sealed record GrantRevokedPayload(string GrantId, IReadOnlyList<string> Scopes, string RevokedBy, string Reason);
