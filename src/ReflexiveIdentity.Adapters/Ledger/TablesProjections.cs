using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Grants;
using ReflexiveIdentity.Ledger;

namespace ReflexiveIdentity.Adapters.Ledger;

/// <summary>
/// The agent and grant projections of the Tables ledger:
/// <list type="bullet">
/// <item><c>{prefix}agents</c>: PartitionKey = agent id, RowKey <c>agent</c>.</item>
/// <item><c>{prefix}grants</c>: PartitionKey = grant id, RowKey <c>grant</c>, so a resource server's grant check is a point read.</item>
/// <item><c>{prefix}agentgrants</c>: PartitionKey = agent id, RowKey = grant id, with the grant's expiry: the index
/// that lists an agent's unexpired grants in one partition query. It holds only fields a grant never changes,
/// so it cannot go stale; revocation is read from the grant itself.</item>
/// </list>
/// Each record remembers the ledger entry (chain, seq) that wrote it, and an entry never overwrites a record
/// written by a later entry of the same chain, so writers on several instances that finish out of order still
/// leave the state of the newest entry. As in the SQLite ledger, a rewrite keeps an agent's first
/// <c>RegisteredAt</c> and changes only a grant's revocation.
/// </summary>
internal sealed class TablesProjections(TableClient agents, TableClient grants, TableClient agentGrants, TimeProvider time)
{
    private const string AgentKey = "agent";
    private const string GrantKey = "grant";
    private const int MaxAttempts = 16;
    private const int PageSize = 1000;

    private static readonly string[] AgentFields = ["AgentId", "PrincipalType", "PrincipalId", "TrustScore", "Status", "RevokedScopes", "RegisteredAt", "UpdatedAt", "Integrity"];
    private static readonly string[] GrantFields = ["GrantId", "AgentId", "Scopes", "IssuedAt", "ExpiresAt", "RevokedAt", "RevocationReason"];

    /// <summary>Writes the agent that <paramref name="source"/> carried.</summary>
    public async Task WriteAsync(Agent agent, LedgerEntry source, CancellationToken cancellationToken)
    {
        var partition = TablesKeys.Key(agent.Id);
        for (var attempt = 1; ; attempt++)
        {
            var current = await ReadAsync(agents, partition, AgentKey, cancellationToken).ConfigureAwait(false);
            if (current is not null && WrittenByLaterEntry(current, source))
            {
                return;
            }

            var next = current is null ? agent : agent with { RegisteredAt = ToAgent(current).RegisteredAt };
            if (await TryWriteAsync(agents, current, ToEntity(next, source.ChainId, source.Seq), cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            await RetryDelayAsync(attempt, "agent " + agent.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the grant that <paramref name="source"/> carried: the agent index first, then the grant.</summary>
    public async Task WriteAsync(Grant grant, LedgerEntry source, CancellationToken cancellationToken)
    {
        var partition = TablesKeys.Key(grant.Id);
        for (var attempt = 1; ; attempt++)
        {
            var current = await ReadAsync(grants, partition, GrantKey, cancellationToken).ConfigureAwait(false);
            if (current is not null && WrittenByLaterEntry(current, source))
            {
                return;
            }

            var next = current is null ? grant : ToGrant(current) with { RevokedAt = grant.RevokedAt, RevocationReason = grant.RevocationReason };

            // Index before grant: a grant that exists is always listed for its agent (a max-active-grants
            // check must not undercount); an index row whose grant write failed is skipped when listing.
            await agentGrants.UpsertEntityAsync(IndexEntity(next), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            if (await TryWriteAsync(grants, current, ToEntity(next, source.ChainId, source.Seq), cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            await RetryDelayAsync(attempt, "grant " + grant.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Copies an agent verbatim; false when an identical record is already there.</summary>
    public async Task<bool> ImportAsync(Agent agent, CancellationToken cancellationToken)
    {
        var next = ToEntity(agent, string.Empty, 0);
        var current = await ReadAsync(agents, next.PartitionKey, AgentKey, cancellationToken).ConfigureAwait(false);
        if (current is not null && Same(current, next, AgentFields))
        {
            return false;
        }

        await agents.UpsertEntityAsync(next, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Copies a grant verbatim; false when an identical record is already there.</summary>
    public async Task<bool> ImportAsync(Grant grant, CancellationToken cancellationToken)
    {
        var next = ToEntity(grant, string.Empty, 0);
        var current = await ReadAsync(grants, next.PartitionKey, GrantKey, cancellationToken).ConfigureAwait(false);
        if (current is not null && Same(current, next, GrantFields))
        {
            return false;
        }

        await agentGrants.UpsertEntityAsync(IndexEntity(grant), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        await grants.UpsertEntityAsync(next, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<Agent?> GetAgentAsync(string agentId, CancellationToken cancellationToken) =>
        await ReadAsync(agents, TablesKeys.Key(agentId), AgentKey, cancellationToken).ConfigureAwait(false) is { } entity ? ToAgent(entity) : null;

    public async Task<IReadOnlyList<Agent>> ListAgentsAsync(CancellationToken cancellationToken)
    {
        var list = new List<Agent>();
        await foreach (var entity in agents.QueryAsync<TableEntity>(maxPerPage: PageSize, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(ToAgent(entity));
        }

        list.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return list;
    }

    public async Task<Grant?> GetGrantAsync(string grantId, CancellationToken cancellationToken) =>
        await ReadAsync(grants, TablesKeys.Key(grantId), GrantKey, cancellationToken).ConfigureAwait(false) is { } entity ? ToGrant(entity) : null;

    public async Task<IReadOnlyList<Grant>> ListActiveGrantsAsync(string agentId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TablesKeys.Key(agentId)} and ExpiresAt gt {LedgerChain.FormatTime(now)}");
        var ids = new List<string>();
        await foreach (var row in agentGrants.QueryAsync<TableEntity>(filter, PageSize, ["RowKey"], cancellationToken).ConfigureAwait(false))
        {
            ids.Add(TablesKeys.Id(row.RowKey));
        }

        var candidates = await Task.WhenAll(ids.Select(id => GetGrantAsync(id, cancellationToken))).ConfigureAwait(false);
        return
        [
            .. candidates
                .OfType<Grant>()
                .Where(grant => string.Equals(grant.AgentId, agentId, StringComparison.Ordinal) && grant.StatusAt(now) == GrantStatus.Active)
                .OrderBy(grant => grant.IssuedAt)
                .ThenBy(grant => grant.Id, StringComparer.Ordinal),
        ];
    }

    /// <summary>Every grant, for a migration reading this ledger.</summary>
    public async IAsyncEnumerable<Grant> ReadGrantsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entity in grants.QueryAsync<TableEntity>(maxPerPage: PageSize, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return ToGrant(entity);
        }
    }

    private static async Task<TableEntity?> ReadAsync(TableClient table, string partition, string row, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Inserts when there was nothing, else replaces if unchanged since read; false when another writer moved first.</summary>
    private static async Task<bool> TryWriteAsync(TableClient table, TableEntity? current, TableEntity next, CancellationToken cancellationToken)
    {
        try
        {
            if (current is null)
            {
                await table.AddEntityAsync(next, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await table.UpdateEntityAsync(next, current.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }

    private Task RetryDelayAsync(int attempt, string what, CancellationToken cancellationToken) =>
        attempt < MaxAttempts
            ? TablesBackoff.DelayAsync(attempt, time, cancellationToken)
            : throw new InvalidOperationException($"Could not write {what} after {MaxAttempts} attempts: other writers kept changing it.");

    private static bool WrittenByLaterEntry(TableEntity current, LedgerEntry source) =>
        string.Equals(current.GetString("SourceChain"), source.ChainId, StringComparison.Ordinal) && current.GetInt64("SourceSeq") >= source.Seq;

    private static bool Same(TableEntity current, TableEntity next, string[] fields) =>
        fields.All(field => Equals(current.TryGetValue(field, out var a) ? a : null, next.TryGetValue(field, out var b) ? b : null));

    private static TableEntity ToEntity(Agent agent, string sourceChain, long sourceSeq) => new(TablesKeys.Key(agent.Id), AgentKey)
    {
        ["AgentId"] = agent.Id,
        ["PrincipalType"] = agent.Principal.Type.ToString().ToLowerInvariant(),
        ["PrincipalId"] = agent.Principal.Id,
        ["TrustScore"] = agent.TrustScore,
        ["Status"] = agent.Status.ToString().ToLowerInvariant(),
        ["RevokedScopes"] = string.Join(' ', agent.RevokedScopes),
        ["RegisteredAt"] = LedgerChain.FormatTime(agent.RegisteredAt),
        ["UpdatedAt"] = LedgerChain.FormatTime(agent.UpdatedAt),
        ["Integrity"] = SqliteLedger.IntegrityColumn(agent),
        ["SourceChain"] = sourceChain,
        ["SourceSeq"] = sourceSeq,
    };

    private static Agent ToAgent(TableEntity entity)
    {
        var agent = ToAgentColumns(entity);
        return entity.GetString("Integrity") is { } integrity
            ? JsonSerializer.Deserialize(integrity, StorageJsonContext.Default.AgentIntegrityState)?.ApplyTo(agent) ?? agent
            : agent;
    }

    private static Agent ToAgentColumns(TableEntity entity) => new()
    {
        Id = entity.GetString("AgentId") ?? TablesKeys.Id(entity.PartitionKey),
        Principal = new Principal(Enum.Parse<PrincipalType>(entity.GetString("PrincipalType") ?? string.Empty, ignoreCase: true), entity.GetString("PrincipalId") ?? string.Empty),
        TrustScore = entity.GetDouble("TrustScore") ?? 0,
        Status = Enum.Parse<AgentStatus>(entity.GetString("Status") ?? string.Empty, ignoreCase: true),
        RevokedScopes = (entity.GetString("RevokedScopes") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries),
        RegisteredAt = LedgerChain.ParseTime(entity.GetString("RegisteredAt") ?? string.Empty),
        UpdatedAt = LedgerChain.ParseTime(entity.GetString("UpdatedAt") ?? string.Empty),
    };

    private static TableEntity ToEntity(Grant grant, string sourceChain, long sourceSeq)
    {
        var entity = new TableEntity(TablesKeys.Key(grant.Id), GrantKey)
        {
            ["GrantId"] = grant.Id,
            ["AgentId"] = grant.AgentId,
            ["Scopes"] = string.Join(' ', grant.Scopes),
            ["IssuedAt"] = LedgerChain.FormatTime(grant.IssuedAt),
            ["ExpiresAt"] = LedgerChain.FormatTime(grant.ExpiresAt),
            ["SourceChain"] = sourceChain,
            ["SourceSeq"] = sourceSeq,
        };
        if (grant.RevokedAt is { } revokedAt)
        {
            entity["RevokedAt"] = LedgerChain.FormatTime(revokedAt);
        }

        if (grant.RevocationReason is not null)
        {
            entity["RevocationReason"] = grant.RevocationReason;
        }

        return entity;
    }

    private static Grant ToGrant(TableEntity entity) => new()
    {
        Id = entity.GetString("GrantId") ?? TablesKeys.Id(entity.PartitionKey),
        AgentId = entity.GetString("AgentId") ?? string.Empty,
        Scopes = (entity.GetString("Scopes") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries),
        IssuedAt = LedgerChain.ParseTime(entity.GetString("IssuedAt") ?? string.Empty),
        ExpiresAt = LedgerChain.ParseTime(entity.GetString("ExpiresAt") ?? string.Empty),
        RevokedAt = entity.GetString("RevokedAt") is { } revokedAt ? LedgerChain.ParseTime(revokedAt) : null,
        RevocationReason = entity.GetString("RevocationReason"),
    };

    private static TableEntity IndexEntity(Grant grant) => new(TablesKeys.Key(grant.AgentId), TablesKeys.Key(grant.Id))
    {
        ["ExpiresAt"] = LedgerChain.FormatTime(grant.ExpiresAt),
    };
}
