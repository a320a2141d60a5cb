using Microsoft.AspNetCore.Http;
using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Grants;
using ReflexiveIdentity.Http.Contracts;
using ReflexiveIdentity.Integrity;
using ReflexiveIdentity.Ledger;

namespace ReflexiveIdentity.Http.Endpoints;

/// <summary><c>GET /api/v1/agents</c> and <c>GET /api/v1/agents/{agent_id}</c> (admin).</summary>
public sealed class AgentsEndpoint
{
    /// <summary>The list route as recorded.</summary>
    public const string ListRoute = "GET /api/v1/agents";

    /// <summary>The single-agent route as recorded.</summary>
    public const string GetRoute = "GET /api/v1/agents/{agent_id}";

    /// <summary>The restore route as recorded.</summary>
    public const string RestoreRoute = "POST /api/v1/agents/{agent_id}/restore";

    private readonly ILedger ledger;
    private readonly AdminGate gate;
    private readonly EndpointGuard guard;
    private readonly AgentRestoration restoration;
    private readonly RejectionResponder rejections;
    private readonly TimeProvider time;

    public AgentsEndpoint(ILedger ledger, AdminGate gate, EndpointGuard guard, AgentRestoration restoration, RejectionResponder rejections, TimeProvider time)
    {
        this.ledger = ledger;
        this.gate = gate;
        this.guard = guard;
        this.restoration = restoration;
        this.rejections = rejections;
        this.time = time;
    }

    /// <summary>Lifts a quarantine once the score is at or above <c>restore_at</c>; records who (the token's subject) and why.</summary>
    public Task RestoreAsync(HttpContext context, string agentId, CancellationToken cancellationToken) => guard.RunAsync(context, RestoreRoute, async () =>
    {
        var operatorToken = await gate.AdmitAsync(context, RestoreRoute, cancellationToken).ConfigureAwait(false);
        if (operatorToken is null)
        {
            return;
        }

        var body = await ReadSmallBodyAsync(context.Request, cancellationToken).ConfigureAwait(false);
        var (dto, problem) = JsonBody.Parse(body, ReflexiveJsonContext.Default.RestoreRequestBody);
        if (problem is null && string.IsNullOrWhiteSpace(dto!.Reason))
        {
            problem = Problems.Problems.InvalidFields([new FieldErrorBody("reason", "is required: why the quarantine may be lifted (recorded in the ledger)")]);
        }

        if (problem is not null)
        {
            await rejections.RejectAsync(context, RestoreRoute, problem, null, null, body, cancellationToken).ConfigureAwait(false);
            return;
        }

        var outcome = await restoration.RestoreAsync(agentId, $"operator:{operatorToken.Subject}", dto!.Reason!.Trim(), cancellationToken).ConfigureAwait(false);
        var refusal = outcome.Result switch
        {
            RestoreResult.AgentNotFound => Problems.Problems.AgentNotFound(agentId),
            RestoreResult.NotQuarantined => Problems.Problems.AgentNotQuarantined(agentId),
            RestoreResult.ScoreBelowRestoreAt => Problems.Problems.ScoreBelowRestoreAt(agentId, outcome.TrustScore, outcome.RestoreAt),
            _ => null,
        };
        if (refusal is not null)
        {
            await rejections.RejectAsync(context, RestoreRoute, refusal, null, null, body, cancellationToken).ConfigureAwait(false);
            return;
        }

        await ResponseWriter.WriteJsonAsync(
            context.Response,
            StatusCodes.Status200OK,
            new RestoreBody(agentId, "active", outcome.TrustScore, outcome.RestoredScopes, outcome.DirectoryCalls > 0),
            ReflexiveJsonContext.Default.RestoreBody,
            cancellationToken).ConfigureAwait(false);
    });

    private static async Task<byte[]> ReadSmallBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.Length > Problems.Problems.MaxBodyBytes ? [] : buffer.ToArray();
    }

    /// <summary>Lists every agent with its score, status and active grants.</summary>
    public Task ListAsync(HttpContext context, CancellationToken cancellationToken) => guard.RunAsync(context, ListRoute, async () =>
    {
        if (await gate.AdmitAsync(context, ListRoute, cancellationToken).ConfigureAwait(false) is null)
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
        if (await gate.AdmitAsync(context, GetRoute, cancellationToken).ConfigureAwait(false) is null)
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

    private async Task<AgentBody> ToBodyAsync(Agents.Agent agent, CancellationToken cancellationToken)
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
            Components = agent.Breakdown.Select(c => new TrustComponentBody(c.Name, c.Penalty, c.Evidence, c.Detail)).ToList(),
            RegisteredAt = agent.RegisteredAt,
            UpdatedAt = agent.UpdatedAt,
        };
    }
}
