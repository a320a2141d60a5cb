namespace ReflexiveIdentity.Ledger;

/// <summary>Verifies every chain of a ledger, or one.</summary>
public sealed class LedgerVerifier(ILedger ledger)
{
    /// <summary>Verifies the chain of <paramref name="chainId"/>, or every chain when it is null.</summary>
    public async Task<IReadOnlyList<ChainVerification>> VerifyAsync(string? chainId, CancellationToken cancellationToken)
    {
        var chains = chainId is null ? await ledger.ListChainsAsync(cancellationToken).ConfigureAwait(false) : [chainId];
        var results = new List<ChainVerification>(chains.Count);
        foreach (var chain in chains)
        {
            results.Add(await LedgerChain.VerifyAsync(chain, ledger.ReadChainAsync(chain, cancellationToken), cancellationToken).ConfigureAwait(false));
        }

        return results;
    }
}
