using Microsoft.Extensions.Logging;

namespace ReflexiveIdentity.Auth0Emulation;

/// <summary>Everything the emulator logs. Never secrets, tokens, rationales or Action events.</summary>
internal static partial class EmulatorLog
{
    [LoggerMessage(1, LogLevel.Information, "Ran {Trigger} Actions ({Count}) in {ElapsedMs} ms; denied: {DeniedCode}")]
    public static partial void ActionRunCompleted(this ILogger logger, string trigger, int count, string deniedCode, long elapsedMs);

    [LoggerMessage(2, LogLevel.Warning, "{Trigger} Actions failed after {ElapsedMs} ms, the token is denied: {Failure}")]
    public static partial void ActionRunFailed(this ILogger logger, string trigger, string failure, long elapsedMs);

    [LoggerMessage(3, LogLevel.Information, "Token issued: {GrantType} for client {ClientId}, audience {Audience}")]
    public static partial void TokenIssued(this ILogger logger, string grantType, string clientId, string audience);

    [LoggerMessage(4, LogLevel.Information, "Token refused: {GrantType} for client {ClientId}: {Error}")]
    public static partial void TokenRefused(this ILogger logger, string grantType, string? clientId, string error);

    [LoggerMessage(6, LogLevel.Information, "Auth0 emulator for tenant {Tenant} ready: issuer {Issuer}, Management API audience {ManagementAudience}, Actions from {ActionsRoot}")]
    public static partial void Started(this ILogger logger, string tenant, string issuer, string managementAudience, string actionsRoot);

    [LoggerMessage(5, LogLevel.Information, "Management API fault mode set: 429 share {Rate429}, 5xx share {Rate5xx}, latency {LatencyMs} ms, seed {Seed}")]
    public static partial void FaultsSet(this ILogger logger, double rate429, double rate5xx, long latencyMs, int seed);
}
