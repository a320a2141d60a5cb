using ReflexiveIdentity.Agents;
using ReflexiveIdentity.Elevation;
using ReflexiveIdentity.Http.Contracts;
using ReflexiveIdentity.Http.Problems;

namespace ReflexiveIdentity.Http.Endpoints;

/// <summary>The parsed request, or the problem that rejects it and the agent it can be attributed to.</summary>
internal sealed record ParsedElevation(ElevationRequest? Request, Problem? Problem, string? AgentId);

/// <summary>
/// Turns the raw body into a <see cref="ElevationRequest"/>: 400 for what is not JSON or has the wrong
/// types, 422 naming each invalid field, <c>unknown_scope</c> for scopes the policy does not know.
/// </summary>
internal static class ElevationRequestParser
{
    public static ParsedElevation Parse(byte[] body, ElevationPolicy policy)
    {
        var (dto, problem) = JsonBody.Parse(body, ReflexiveJsonContext.Default.ElevationRequestBody);
        return problem is not null ? new ParsedElevation(null, problem, null) : Validate(dto!, policy);
    }

    private static ParsedElevation Validate(ElevationRequestBody dto, ElevationPolicy policy)
    {
        var errors = new List<FieldErrorBody>();
        var agentId = Agents.Agent.IsValidId(dto.AgentId) ? dto.AgentId : null;
        if (dto.AgentId is null)
        {
            errors.Add(new FieldErrorBody("agent_id", "is required"));
        }
        else if (agentId is null)
        {
            errors.Add(new FieldErrorBody("agent_id", "must be 1 to 128 letters, digits or . _ - : @ |, starting with a letter or digit"));
        }

        Principal? principal = null;
        if (dto.Principal is null)
        {
            errors.Add(new FieldErrorBody("principal", "is required: {\"type\": \"user\" | \"client\", \"id\": \"...\"}"));
        }
        else
        {
            var type = dto.Principal.Type switch
            {
                "user" => PrincipalType.User,
                "client" => PrincipalType.Client,
                _ => (PrincipalType?)null,
            };
            if (type is null)
            {
                errors.Add(new FieldErrorBody("principal.type", "must be \"user\" or \"client\""));
            }

            if (string.IsNullOrWhiteSpace(dto.Principal.Id) || dto.Principal.Id.Length > 256)
            {
                errors.Add(new FieldErrorBody("principal.id", "must be a non-empty string of at most 256 characters"));
            }
            else if (type is not null)
            {
                principal = new Principal(type.Value, dto.Principal.Id);
            }
        }

        if (dto.TrustScore is < 0 or > 100)
        {
            errors.Add(new FieldErrorBody("trust_score", "must be between 0 and 100"));
        }

        var scopes = new List<string>();
        if (dto.RequestedScopes is null || dto.RequestedScopes.Count == 0)
        {
            errors.Add(new FieldErrorBody("requested_scopes", "must list at least one scope"));
        }
        else if (dto.RequestedScopes.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add(new FieldErrorBody("requested_scopes", "must contain only non-empty strings"));
        }
        else
        {
            scopes.AddRange(dto.RequestedScopes.Distinct(StringComparer.Ordinal)!);
        }

        Rationale? rationale = null;
        if (dto.Rationale is not null)
        {
            if (dto.Rationale.Confidence is null)
            {
                errors.Add(new FieldErrorBody("rationale.confidence", "is required: a number between 0 and 1"));
            }
            else if (dto.Rationale.Confidence is < 0 or > 1)
            {
                errors.Add(new FieldErrorBody("rationale.confidence", $"must be between 0 and 1, was {dto.Rationale.Confidence}"));
            }
            else
            {
                rationale = new Rationale(dto.Rationale.Intent ?? string.Empty, dto.Rationale.Reason ?? string.Empty, dto.Rationale.Confidence.Value);
            }

            if (dto.Rationale.Intent?.Length > 2_000 || dto.Rationale.Reason?.Length > 4_000)
            {
                errors.Add(new FieldErrorBody("rationale", "intent is limited to 2000 characters and reason to 4000"));
            }
        }

        if (errors.Count > 0)
        {
            return new ParsedElevation(null, Problems.Problems.InvalidFields(errors), agentId);
        }

        var unknown = scopes.Where(scope => !policy.IsKnown(scope)).ToList();
        if (unknown.Count > 0)
        {
            return new ParsedElevation(null, Problems.Problems.UnknownScope(unknown, policy.Document.Scopes.Keys), agentId);
        }

        var request = new ElevationRequest
        {
            AgentId = agentId!,
            Principal = principal!,
            ReportedTrustScore = dto.TrustScore,
            RequestedScopes = scopes,
            Audience = dto.Audience,
            Rationale = rationale,
            Context = dto.Context is { } c ? new ElevationContext(c.Trigger, c.ClientId, c.Ip, c.TransactionId) : null,
        };
        return new ParsedElevation(request, null, agentId);
    }
}
