namespace ReflexiveIdentity.Ledger;

/// <summary>The last entry of a chain, as far as appending needs it.</summary>
/// <param name="Seq">Its seq.</param>
/// <param name="Hash">Its hash, the next entry's <c>prev_hash</c>.</param>
public sealed record ChainHead(long Seq, string Hash);
