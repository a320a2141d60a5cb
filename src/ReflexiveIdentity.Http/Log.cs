using Microsoft.Extensions.Logging;

namespace ReflexiveIdentity.Http;

/// <summary>Every log message of the HTTP layer. Never a body, header, secret, token or rationale text.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Error, Message = "Handling {Route} failed; answered 500 and granted nothing")]
    public static partial void HandlerFailed(ILogger logger, string route, Exception exception);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "The caller aborted {Route}")]
    public static partial void RequestAborted(ILogger logger, string route);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Elevation for {AgentId}: {Decision} ({ReasonCodes}), trust {TrustScore}, entry {EntryId}, replayed {Replayed}")]
    public static partial void ElevationDecided(ILogger logger, string agentId, string decision, string reasonCodes, double trustScore, string entryId, bool replayed);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Rejected {Route} with {Status} {Code}; recorded as {EntryId}")]
    public static partial void Rejected(ILogger logger, string route, int status, string code, string entryId);
}
