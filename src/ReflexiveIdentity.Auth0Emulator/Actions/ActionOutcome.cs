using System.Text.Json.Nodes;

namespace ReflexiveIdentity.Auth0Emulation.Actions;

/// <summary>A deny an Action asked for with <c>api.access.deny</c>.</summary>
internal sealed record ActionDenial(string Code, string Reason);

/// <summary>
/// What the bound Actions of one trigger did to a token, or why they could not run. A failed run
/// denies the token, as Auth0 fails the login when an Action throws or times out.
/// </summary>
internal sealed record ActionOutcome
{
    public static readonly ActionOutcome NoActions = new();

    /// <summary>Why the run failed (the runtime's error, a timeout, a crash); null when it ran.</summary>
    public string? Failure { get; init; }

    public ActionDenial? Denied { get; init; }

    public IReadOnlyList<string> AddedScopes { get; init; } = [];

    public IReadOnlyList<string> RemovedScopes { get; init; } = [];

    public JsonObject AccessTokenClaims { get; init; } = [];

    public JsonObject IdTokenClaims { get; init; } = [];

    public JsonObject AppMetadata { get; init; } = [];

    public IReadOnlyList<string> Logs { get; init; } = [];

    public static ActionOutcome Failed(string failure, IReadOnlyList<string>? logs = null) => new() { Failure = failure, Logs = logs ?? [] };

    /// <summary>The scopes after the Actions' <c>addScope</c>/<c>removeScope</c> calls.</summary>
    public IReadOnlyList<string> ApplyScopes(IEnumerable<string> scopes) =>
        [.. scopes.Concat(AddedScopes).Distinct(StringComparer.Ordinal).Where(s => !RemovedScopes.Contains(s, StringComparer.Ordinal))];
}
