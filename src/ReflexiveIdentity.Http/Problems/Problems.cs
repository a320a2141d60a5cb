using ReflexiveIdentity.Http.Contracts;
using ReflexiveIdentity.Http.Security;

namespace ReflexiveIdentity.Http.Problems;

/// <summary>Every problem the API answers with, one factory per stable code.</summary>
public static class Problems
{
    /// <summary>The largest body the webhook routes read.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    /// <summary>400: the body is not JSON.</summary>
    public static Problem MalformedJson(string detail) =>
        new(400, "malformed_json", "The body is not valid JSON", $"{detail} Send a JSON object.");

    /// <summary>400: a field has the wrong JSON type.</summary>
    public static Problem InvalidType(string field, string detail) =>
        new(400, "invalid_type", "A field has the wrong type", $"{field}: {detail}", [new FieldErrorBody(field, detail)]);

    /// <summary>400: the request id header is unusable.</summary>
    public static Problem InvalidRequestId() =>
        new(400, "invalid_request_id", "The request id is invalid", "X-Reflexive-Request-Id must be 1 to 128 visible ASCII characters.");

    /// <summary>401: a signature header is missing.</summary>
    public static Problem SignatureMissing() =>
        new(401, "signature_missing", "The request is not signed", $"Send {WebhookSignature.TimestampHeader} (unix seconds) and {WebhookSignature.SignatureHeader}: v1=<hex HMAC-SHA256(secret, \"<timestamp>.<raw body>\")>.");

    /// <summary>401: a signature header is not in the expected format.</summary>
    public static Problem SignatureMalformed() =>
        new(401, "signature_malformed", "The signature headers are malformed", $"{WebhookSignature.TimestampHeader} must be unix seconds and {WebhookSignature.SignatureHeader} must be v1=<64 hex digits>.");

    /// <summary>401: the timestamp is outside the tolerance.</summary>
    public static Problem SignatureExpired() =>
        new(401, "signature_expired", "The signature timestamp is too old or in the future", $"{WebhookSignature.TimestampHeader} must be within {WebhookSignature.Tolerance.TotalSeconds:0} seconds of the server's time; sign each request when it is sent and check the sender's clock.");

    /// <summary>401: no configured secret matches.</summary>
    public static Problem SignatureInvalid() =>
        new(401, "signature_invalid", "The signature does not match", "No configured signing secret produces this signature over \"<timestamp>.<raw body>\". Check that the Action's WEBHOOK_SECRET is one of Webhook__SigningSecrets and that the body is sent byte for byte as signed.");

    /// <summary>401: no bearer token.</summary>
    public static Problem TokenMissing() =>
        new(401, "token_missing", "An access token is required", "Send Authorization: Bearer <access token> issued by the Auth0 tenant for this API with the reflexive:admin scope.");

    /// <summary>401: the bearer token failed validation.</summary>
    public static Problem TokenInvalid(string reason) =>
        new(401, "token_invalid", "The access token is not valid", $"{reason} Get a new token from the Auth0 tenant for this API.");

    /// <summary>403: the token lacks the scope the route needs.</summary>
    public static Problem InsufficientScope(string scope, string detail) =>
        new(403, "insufficient_scope", $"The access token lacks {scope}", $"{detail} Request a token with the {scope} scope (an operator client's grant must include it).");

    /// <summary>503: token validation is off because the Auth0 tenant is not configured.</summary>
    public static Problem Auth0NotConfigured() =>
        new(503, "auth0_not_configured", "Admin routes need the Auth0 tenant", $"Admin routes accept Auth0 access tokens only: {Settings.Auth0Settings.MissingSettingsMessage}.");

    /// <summary>404: no such agent.</summary>
    public static Problem AgentNotFound(string agentId) =>
        new(404, "agent_not_found", "No such agent", $"No agent '{agentId}' has been seen by this service.");

    /// <summary>404: the agent runs no jobs here (only the configured agent_omega does).</summary>
    public static Problem NoJobRunner(string agentId, string jobAgentId) =>
        new(404, "agent_not_found", "No such agent runs jobs", $"Agent '{agentId}' cannot run jobs here: only '{jobAgentId}' does (AgentOmega__AgentId). Post the job to /api/v1/agents/{jobAgentId}/jobs.");

    /// <summary>409: a restore of an agent that is not quarantined.</summary>
    public static Problem AgentNotQuarantined(string agentId) =>
        new(409, "agent_not_quarantined", "The agent is not quarantined", $"Agent '{agentId}' is active; there is nothing to restore.");

    /// <summary>409: a restore while the score is still too low.</summary>
    public static Problem ScoreBelowRestoreAt(string agentId, double score, double restoreAt) =>
        new(409, "score_below_restore_at", "The trust score is still too low to restore", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Agent '{agentId}' scores {score:0.##} now; a restore needs at least {restoreAt:0.##} (restore_at). Its penalties decay over time; see GET /api/v1/agents/{agentId} for what drives them."));

    /// <summary>404: no such grant.</summary>
    public static Problem GrantNotFound(string grantId) =>
        new(404, "grant_not_found", "No such grant", $"No grant '{grantId}' exists.");

    /// <summary>404: the dashboard has no such file.</summary>
    public static Problem DashboardAssetNotFound(string asset) =>
        new(404, "asset_not_found", "No such dashboard file", $"The dashboard has no file '{asset}'; it serves dashboard.css and dashboard.js.");

    /// <summary>409: the request id was used before with another body.</summary>
    public static Problem RequestIdReused(string requestId) =>
        new(409, "request_id_reused", "The request id was used for another request", $"X-Reflexive-Request-Id '{requestId}' was used within the last 10 minutes with a different body. Use a new id for each new request.");

    /// <summary>413: the body is over the limit.</summary>
    public static Problem BodyTooLarge() =>
        new(413, "body_too_large", "The body is too large", $"Request bodies are limited to {MaxBodyBytes} bytes.");

    /// <summary>415: the body is not JSON by content type.</summary>
    public static Problem UnsupportedMediaType(string? contentType) =>
        new(415, "unsupported_media_type", "Unsupported content type", $"Content-Type was '{contentType ?? "(none)"}'; send application/json.");

    /// <summary>422: fields are present and typed but invalid.</summary>
    public static Problem InvalidFields(IReadOnlyList<FieldErrorBody> errors) =>
        new(422, "invalid_field", "A field is invalid", string.Join(" ", errors.Select(e => $"{e.Field}: {e.Message}")), errors);

    /// <summary>422: a requested scope is not in the policy.</summary>
    public static Problem UnknownScope(IReadOnlyList<string> scopes, IEnumerable<string> known) =>
        new(
            422,
            "unknown_scope",
            "A requested scope is unknown",
            $"Unknown scope(s): {string.Join(", ", scopes)}. Known scopes: {string.Join(", ", known)}.",
            scopes.Select(scope => new FieldErrorBody("requested_scopes", $"'{scope}' is not a scope in the policy")).ToList());

    /// <summary>500: something failed inside; nothing was granted.</summary>
    public static Problem Internal() =>
        new(500, "internal_error", "The request could not be completed", "The service failed while handling the request; nothing was granted. Retry later; if it persists, check the service's logs and GET /api/health.");
}
