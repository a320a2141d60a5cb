using System.Text.Json.Nodes;

namespace ReflexiveIdentity.Auth0Emulation.Actions;

/// <summary>Who a run of Actions was for: what <c>GET /emulator/actions</c> shows beside its outcome.</summary>
internal sealed record ActionRunContext(string ClientId, string? UserId, string Audience);

/// <summary>
/// The last runs of Actions, for tests and debugging (Auth0's real-time logs). Holds what the
/// Actions decided and printed, never the event, which carries secrets and the rationale.
/// </summary>
internal sealed class ActionRunLog
{
    private const int Capacity = 100;
    private readonly Lock _gate = new();
    private readonly LinkedList<JsonObject> _runs = new();

    public void Add(string trigger, ActionRunContext context, ActionOutcome outcome, DateTimeOffset at)
    {
        var entry = new JsonObject
        {
            ["at"] = Tenant.UserJson.Timestamp(at),
            ["trigger"] = trigger,
            ["client_id"] = context.ClientId,
            ["user_id"] = context.UserId,
            ["audience"] = context.Audience,
            ["failure"] = outcome.Failure,
            ["denied"] = outcome.Denied is { } d ? new JsonObject { ["code"] = d.Code, ["reason"] = d.Reason } : null,
            ["added_scopes"] = new JsonArray([.. outcome.AddedScopes.Select(s => (JsonNode?)s)]),
            ["removed_scopes"] = new JsonArray([.. outcome.RemovedScopes.Select(s => (JsonNode?)s)]),
            ["custom_claim_names"] = new JsonArray([.. outcome.AccessTokenClaims.Select(c => (JsonNode?)c.Key)]),
            ["logs"] = new JsonArray([.. outcome.Logs.Select(l => (JsonNode?)l)]),
        };
        lock (_gate)
        {
            _runs.AddLast(entry);
            if (_runs.Count > Capacity)
            {
                _runs.RemoveFirst();
            }
        }
    }

    public JsonArray ToJson()
    {
        lock (_gate)
        {
            return new JsonArray([.. _runs.Select(r => r.DeepClone())]);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _runs.Clear();
        }
    }
}
