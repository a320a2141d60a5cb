using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ReflexiveIdentity.Agents;

namespace ReflexiveIdentity.Adapters.Auth0;

/// <summary>
/// <see cref="IAgentDirectory"/> on Auth0. A user-backed agent keeps its state in <c>app_metadata</c>
/// (<c>trust_score</c> a number, <c>revoked_scopes</c> an array, <c>trust</c> an object) and its scopes as
/// user permissions on the agents API. An M2M agent keeps it in <c>client_metadata</c>, where every
/// value is a string of at most 255 characters, and its scopes in its client grant for the agents API.
/// </summary>
public sealed class Auth0AgentDirectory : IAgentDirectory
{
    /// <summary>Auth0's limit on one <c>client_metadata</c> value.</summary>
    public const int MaxClientMetadataValueLength = 255;

    private readonly ManagementApiClient management;
    private readonly Auth0ManagementOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;

    /// <summary>Creates the directory; scopes are revoked and restored on <see cref="Auth0ManagementOptions.Audience"/>.</summary>
    public Auth0AgentDirectory(ManagementApiClient management, Auth0ManagementOptions options, TimeProvider time, ILogger<Auth0AgentDirectory> logger)
    {
        this.management = management;
        this.options = options;
        this.time = time;
        this.logger = logger;
    }

    /// <inheritdoc />
    public async Task PublishTrustAsync(Principal principal, AgentTrustRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(record);
        var updatedAt = time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var status = StatusName(record.Status);
        var components = record.Breakdown.Select(c => (c.Name, Penalty: Math.Round(c.Penalty, 2))).ToList();
        if (principal.Type == PrincipalType.User)
        {
            var trust = new JsonObject();
            foreach (var (name, penalty) in components)
            {
                trust[name] = penalty;
            }

            trust["updated_at"] = updatedAt;
            var patch = new JsonObject
            {
                ["agent_id"] = record.AgentId,
                ["trust_score"] = record.TrustScore,
                ["status"] = status,
                ["revoked_scopes"] = new JsonArray([.. record.RevokedScopes.Select(s => (JsonNode?)s)]),
                ["trust"] = trust,
            };
            await management.UpdateUserAppMetadataAsync(principal.Id, patch, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var metadata = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["agent_id"] = record.AgentId,
                ["trust_score"] = record.TrustScore.ToString("0.##", CultureInfo.InvariantCulture),
                ["status"] = status,

                // An empty list deletes the key: Auth0 counts keys (10 at most), and no key means nothing revoked.
                ["revoked_scopes"] = record.RevokedScopes.Count == 0 ? null : string.Join(',', record.RevokedScopes),
                ["trust"] = CompactBreakdown(record.AgentId, components, updatedAt),
            };
            await management.UpdateClientMetadataAsync(principal.Id, metadata, cancellationToken).ConfigureAwait(false);
        }

        Auth0Log.TrustPublished(logger, record.AgentId, record.TrustScore, status, principal.Type, principal.Id);
    }

    /// <inheritdoc />
    public async Task RevokeScopesAsync(Principal principal, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(scopes);
        if (scopes.Count == 0)
        {
            return;
        }

        if (principal.Type == PrincipalType.User)
        {
            await management.RemoveUserPermissionsAsync(principal.Id, Permissions(scopes), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var grant = await FindGrantAsync(principal.Id, cancellationToken).ConfigureAwait(false);
            if (grant is null)
            {
                Auth0Log.NoGrantToRevoke(logger, principal.Id, options.Audience, scopes);
                return;
            }

            var kept = grant.Scope.Where(s => !scopes.Contains(s, StringComparer.Ordinal)).ToList();
            if (kept.Count != grant.Scope.Count)
            {
                await management.UpdateClientGrantScopesAsync(grant.Id, kept, cancellationToken).ConfigureAwait(false);
            }
        }

        Auth0Log.ScopesRevoked(logger, scopes, principal.Type, principal.Id, options.Audience);
    }

    /// <inheritdoc />
    public async Task RestoreScopesAsync(Principal principal, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(scopes);
        if (scopes.Count == 0)
        {
            return;
        }

        if (principal.Type == PrincipalType.User)
        {
            await management.AssignUserPermissionsAsync(principal.Id, Permissions(scopes), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var grant = await FindGrantAsync(principal.Id, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException(
                    $"Client {principal.Id} has no client grant for {options.Audience}, so {string.Join(' ', scopes)} cannot be restored to it. "
                    + "Authorize the client for that API in Auth0 (Applications > APIs > Machine To Machine Applications) first.");
            var all = grant.Scope.Union(scopes, StringComparer.Ordinal).ToList();
            if (all.Count != grant.Scope.Count)
            {
                await management.UpdateClientGrantScopesAsync(grant.Id, all, cancellationToken).ConfigureAwait(false);
            }
        }

        Auth0Log.ScopesRestored(logger, scopes, principal.Type, principal.Id, options.Audience);
    }

    private static string StatusName(AgentStatus status) => status switch
    {
        AgentStatus.Active => "active",
        AgentStatus.Quarantined => "quarantined",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "An agent is active or quarantined."),
    };

    private List<UserPermission> Permissions(IEnumerable<string> scopes) =>
        [.. scopes.Distinct(StringComparer.Ordinal).Select(s => new UserPermission(options.Audience, s))];

    private async Task<ClientGrant?> FindGrantAsync(string clientId, CancellationToken cancellationToken)
    {
        var grants = await management.GetClientGrantsAsync(clientId, options.Audience, cancellationToken).ConfigureAwait(false);

        // The query filters on both; the check guards against a tenant (or proxy) that ignores a filter.
        return grants.FirstOrDefault(g => g.ClientId == clientId && g.Audience == options.Audience);
    }

    /// <summary>
    /// The breakdown as compact JSON within Auth0's 255 characters: zero penalties are left out first,
    /// then the smallest penalties until it fits (logged), <c>updated_at</c> always kept.
    /// </summary>
    private string CompactBreakdown(string agentId, List<(string Name, double Penalty)> components, string updatedAt)
    {
        var ordered = components.Where(c => c.Penalty != 0).OrderByDescending(c => Math.Abs(c.Penalty)).ToList();
        for (var keep = ordered.Count; ; keep--)
        {
            var json = Breakdown(ordered.Take(keep), updatedAt);
            if (json.Length <= MaxClientMetadataValueLength || keep == 0)
            {
                if (keep < ordered.Count)
                {
                    Auth0Log.BreakdownTrimmed(logger, agentId, MaxClientMetadataValueLength, keep, components.Count);
                }

                return json;
            }
        }
    }

    private static string Breakdown(IEnumerable<(string Name, double Penalty)> components, string updatedAt)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, penalty) in components)
            {
                writer.WriteNumber(name, penalty);
            }

            writer.WriteString("updated_at", updatedAt);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
