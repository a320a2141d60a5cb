using Microsoft.AspNetCore.Http;
using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Grants;
using ReflexiveIdentity.Http.Contracts;
using ReflexiveIdentity.Ledger;

namespace ReflexiveIdentity.Http.Endpoints;

/// <summary><c>GET /api/v1/agents</c> and <c>GET /api/v1/agents/{agent_id}</c> (admin).</summary>
public sealed class AgentsEndpoint
{
    /// <summary>The list route as recorded.</summary>
    public const string ListRoute = "GET /api/v1/agents";

    /// <summary>The single-agent route as recorded.</summary>
    public const string GetRoute = "GET /api/v1/agents/{agent_id}";

    private readonly ILedger ledger;
    private readonly AdminGate gate;
    private readonly EndpointGuard guard;
    private readonly TimeProvider time;

    public AgentsEndpoint(ILedger ledger, AdminGate gate, EndpointGuard guard, TimeProvider time)
    {
        this.ledger = ledger;
        this.gate = gate;
        this.guard = guard;
        this.time = time;
    }

    /// <summary>Lists every agent with its score, status and active grants.</summary>
    public Task ListAsync(HttpContext context, CancellationToken cancellationToken) => guard.RunAsync(context, ListRoute, async () =>
    {
        if (!await gate.AdmitAsync(context, ListRoute, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var agents = await ledger.ListAgentsAsync(cancellationToken).ConfigureAwait(false);
        var bodies = new List<AgentBody>(agents.Count);
        foreach (var agent in agents)
        {
            bodies.Add(await ToBodyAsync(agent, cancellationToken).ConfigureAwait(false));
        }

        await ResponseWriter.WriteJsonAsync(context.Response, StatusCodes.Status200OK, new AgentListBody(bodies), ReflexiveJsonContext.Default.AgentListBody, cancellationToken).ConfigureAwait(false);
    });

    /// <summary>Shows one agent.</summary>
    public Task GetAsync(HttpContext context, string agentId, CancellationToken cancellationToken) => guard.RunAsync(context, GetRoute, async () =>
    {
        if (!await gate.AdmitAsync(context, GetRoute, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var agent = await ledger.GetAgentAsync(agentId, cancellationToken).ConfigureAwait(false);
        if (agent is null)
        {
            await ResponseWriter.WriteProblemAsync(context.Response, Problems.Problems.AgentNotFound(agentId), null, cancellationToken).ConfigureAwait(false);
            return;
        }

        await ResponseWriter.WriteJsonAsync(context.Response, StatusCodes.Status200OK, await ToBodyAsync(agent, cancellationToken).ConfigureAwait(false), ReflexiveJsonContext.Default.AgentBody, cancellationToken).ConfigureAwait(false);
    });

    private async Task<AgentBody> ToBodyAsync(Agent agent, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var grants = await ledger.ListActiveGrantsAsync(agent.Id, now, cancellationToken).ConfigureAwait(false);
        return new AgentBody
        {
            AgentId = agent.Id,
            Principal = new PrincipalBody(agent.Principal.Type.ToString().ToLowerInvariant(), agent.Principal.Id),
            TrustScore = agent.TrustScore,
            Status = agent.Status.ToString().ToLowerInvariant(),
            RevokedScopes = agent.RevokedScopes,
            ActiveGrants = grants.Select(grant => GrantsEndpoint.ToBody(grant, now)).ToList(),
            RegisteredAt = agent.RegisteredAt,
            UpdatedAt = agent.UpdatedAt,
        };
    }
}
