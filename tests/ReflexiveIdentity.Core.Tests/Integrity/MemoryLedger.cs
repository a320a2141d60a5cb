using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Grants;
using ReflexiveIdentity.Ledger;

namespace ReflexiveIdentity.Core.Tests.Integrity;

/// <summary>A whole ledger in memory, chained by <see cref="LedgerChain"/> like the real ones, for sweeps over time.</summary>
internal sealed class MemoryLedger : ILedger
{
    private readonly SortedDictionary<string, List<LedgerEntry>> chains = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Agent> agents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Grant> grants = new(StringComparer.Ordinal);

    public IReadOnlyList<LedgerEntry> Chain(string chainId) => chains.TryGetValue(chainId, out var chain) ? chain : [];

    private readonly Dictionary<string, int> reads = new(StringComparer.Ordinal);

    /// <summary>How many times <paramref name="chainId"/> was read (verification reads every chain once a sweep).</summary>
    public int ReadsOf(string chainId) => reads.GetValueOrDefault(chainId);

    /// <summary>Replaces an agent's record as an older version of the service would have left it.</summary>
    public void Put(Agent agent) => agents[agent.Id] = agent;

    public Task<LedgerAppendResult> AppendAsync(LedgerAppend append, CancellationToken cancellationToken)
    {
        if (!chains.TryGetValue(append.ChainId, out var chain))
        {
            chains[append.ChainId] = chain = [];
        }

        var entry = LedgerChain.Next(chain.Count == 0 ? null : chain[^1], append);
        chain.Add(entry);
        if (append.Agent is { } agent)
        {
            agents[agent.Id] = agent;
        }

        if (append.Grant is { } grant)
        {
            grants[grant.Id] = grant;
        }

        return Task.FromResult(new LedgerAppendResult(entry, false));
    }

    public Task<LedgerEntry?> FindByRequestIdAsync(string requestId, DateTimeOffset since, CancellationToken cancellationToken) =>
        Task.FromResult(chains.Values.SelectMany(c => c).FirstOrDefault(e => e.RequestId == requestId && e.RecordedAt >= since));

    public Task<int> CountSinceAsync(string chainId, LedgerEntryKind kind, DateTimeOffset since, CancellationToken cancellationToken) =>
        Task.FromResult(Chain(chainId).Count(e => e.Kind == kind.ToWire() && e.OccurredAt >= since));

    public Task<IReadOnlyList<string>> ListChainsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([.. chains.Keys]);

    public IAsyncEnumerable<LedgerEntry> ReadChainAsync(string chainId, CancellationToken cancellationToken)
    {
        reads[chainId] = ReadsOf(chainId) + 1;
        return Chain(chainId).ToList().ToAsyncEnumerable();
    }

    public Task<Agent?> GetAgentAsync(string agentId, CancellationToken cancellationToken) =>
        Task.FromResult(agents.GetValueOrDefault(agentId));

    public Task<IReadOnlyList<Agent>> ListAgentsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Agent>>([.. agents.Values]);

    public Task<Grant?> GetGrantAsync(string grantId, CancellationToken cancellationToken) =>
        Task.FromResult(grants.GetValueOrDefault(grantId));

    public Task<IReadOnlyList<Grant>> ListActiveGrantsAsync(string agentId, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Grant>>([.. grants.Values.Where(g => g.AgentId == agentId && g.StatusAt(now) == GrantStatus.Active)]);

    public Task PingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
