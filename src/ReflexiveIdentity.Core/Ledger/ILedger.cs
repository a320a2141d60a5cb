using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Grants;

namespace ReflexiveIdentity.Ledger;

/// <summary>
/// The append-only, per-chain hash-chained store of everything agents did, with the agent and grant
/// projections beside it. Adapters store and order; chaining rules live in <see cref="LedgerChain"/>.
/// </summary>
public interface ILedger
{
    /// <summary>
    /// Appends an entry at the head of its chain (computing seq, prev_hash and hash), together with the
    /// agent and grant it carries, as one unit. Concurrent appends to one chain never fork it.
    /// </summary>
    Task<LedgerAppendResult> AppendAsync(LedgerAppend append, CancellationToken cancellationToken);

    /// <summary>The entry recorded with <paramref name="requestId"/> at or after <paramref name="since"/>, if any.</summary>
    Task<LedgerEntry?> FindByRequestIdAsync(string requestId, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>How many entries of <paramref name="kind"/> the chain has recorded at or after <paramref name="since"/>.</summary>
    Task<int> CountSinceAsync(string chainId, LedgerEntryKind kind, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Every chain id, in ordinal order.</summary>
    Task<IReadOnlyList<string>> ListChainsAsync(CancellationToken cancellationToken);

    /// <summary>A chain's entries in seq order, as stored (nothing is checked here).</summary>
    IAsyncEnumerable<LedgerEntry> ReadChainAsync(string chainId, CancellationToken cancellationToken);

    /// <summary>
    /// The last <paramref name="count"/> entries of a chain, oldest first (newest last). Adapters that can read
    /// the tail without the whole chain override this.
    /// </summary>
    async Task<IReadOnlyList<LedgerEntry>> ReadRecentAsync(string chainId, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var tail = new Queue<LedgerEntry>(count);
        if (count == 0)
        {
            return [];
        }

        await foreach (var entry in ReadChainAsync(chainId, cancellationToken).ConfigureAwait(false))
        {
            if (tail.Count == count)
            {
                tail.Dequeue();
            }

            tail.Enqueue(entry);
        }

        return [.. tail];
    }

    /// <summary>The agent, or null when it has never been seen.</summary>
    Task<Agent?> GetAgentAsync(string agentId, CancellationToken cancellationToken);

    /// <summary>Every registered agent, ordered by id.</summary>
    Task<IReadOnlyList<Agent>> ListAgentsAsync(CancellationToken cancellationToken);

    /// <summary>The grant, or null when there is no such grant.</summary>
    Task<Grant?> GetGrantAsync(string grantId, CancellationToken cancellationToken);

    /// <summary>The agent's grants that are neither revoked nor expired at <paramref name="now"/>.</summary>
    Task<IReadOnlyList<Grant>> ListActiveGrantsAsync(string agentId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// What an elevation decision needs about an agent, read together: the agent (null when never seen),
    /// its <paramref name="kind"/> entries since <paramref name="since"/>, and its active grants at <paramref name="now"/>.
    /// Adapters that can read it in one round trip override this.
    /// </summary>
    async Task<AgentActivity> GetAgentActivityAsync(string agentId, LedgerEntryKind kind, DateTimeOffset since, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var agent = await GetAgentAsync(agentId, cancellationToken).ConfigureAwait(false);
        if (agent is null)
        {
            return new AgentActivity(null, 0, 0);
        }

        var recent = await CountSinceAsync(agentId, kind, since, cancellationToken).ConfigureAwait(false);
        var grants = await ListActiveGrantsAsync(agentId, now, cancellationToken).ConfigureAwait(false);
        return new AgentActivity(agent, recent, grants.Count);
    }

    /// <summary>Throws when the store cannot be read; used by the health check.</summary>
    Task PingAsync(CancellationToken cancellationToken);
}
