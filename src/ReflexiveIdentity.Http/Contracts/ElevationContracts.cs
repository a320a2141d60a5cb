namespace ReflexiveIdentity.Http.Contracts;

/// <summary>Body of <c>POST /api/v1/elevations</c>. Fields are nullable so that a missing one is a 422 naming it, not a parse error.</summary>
public sealed record ElevationRequestBody
{
    /// <summary>The agent asking (<c>app_metadata.agent_id</c>).</summary>
    public string? AgentId { get; init; }

    /// <summary>The Auth0 identity behind the agent.</summary>
    public PrincipalBody? Principal { get; init; }

    /// <summary>The trust score Auth0 holds; the lower of it and the service's counts.</summary>
    public double? TrustScore { get; init; }

    /// <summary>The scopes asked for.</summary>
    public IReadOnlyList<string?>? RequestedScopes { get; init; }

    /// <summary>The API the token is for.</summary>
    public string? Audience { get; init; }

    /// <summary>Why the agent needs the elevation.</summary>
    public RationaleBody? Rationale { get; init; }

    /// <summary>Where the request came from.</summary>
    public ContextBody? Context { get; init; }
}

/// <summary>An Auth0 principal: <c>type</c> is <c>user</c> or <c>client</c>.</summary>
public sealed record PrincipalBody(string? Type, string? Id);

/// <summary>A rationale <c>{intent, reason, confidence}</c>.</summary>
public sealed record RationaleBody(string? Intent, string? Reason, double? Confidence);

/// <summary>Request context from the Action.</summary>
public sealed record ContextBody(string? Trigger, string? ClientId, string? Ip, string? TransactionId);

/// <summary>The answer of <c>POST /api/v1/elevations</c>.</summary>
public sealed record ElevationResponseBody
{
    /// <summary><c>allow</c>, <c>deny</c> or <c>block</c>.</summary>
    public required string Decision { get; init; }

    /// <summary>The grant id, on allow.</summary>
    public string? GrantId { get; init; }

    /// <summary>Elevated scopes granted.</summary>
    public required IReadOnlyList<string> GrantedScopes { get; init; }

    /// <summary>Requested elevated scopes not granted, with why.</summary>
    public required IReadOnlyList<DeniedScopeBody> DeniedScopes { get; init; }

    /// <summary>When the grant expires, on allow.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The effective trust score the decision used.</summary>
    public required double TrustScore { get; init; }

    /// <summary>Why, as stable codes with details.</summary>
    public required IReadOnlyList<ReasonBody> Reasons { get; init; }

    /// <summary>Who judged the rationale.</summary>
    public required JudgeBody Judge { get; init; }
}

/// <summary>A scope not granted.</summary>
public sealed record DeniedScopeBody(string Scope, string Code, string Detail);

/// <summary>A reason code with its detail.</summary>
public sealed record ReasonBody(string Code, string Detail);

/// <summary>The judge's kind (<c>policy</c> for the deterministic checks alone) and verdict.</summary>
public sealed record JudgeBody(string Kind, string Verdict);
