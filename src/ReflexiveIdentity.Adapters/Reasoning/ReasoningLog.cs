using Microsoft.Extensions.Logging;

namespace ReflexiveIdentity.Adapters.Reasoning;

/// <summary>Every log message of the reasoning adapters. Never a prompt, a rationale, a model answer or a key.</summary>
internal static partial class ReasoningLog
{
    [LoggerMessage(EventId = 3300, Level = LogLevel.Warning, Message = "The {Kind} {Role} call failed with {ErrorType}")]
    public static partial void ModelCallFailed(ILogger logger, string kind, string role, string errorType);

    [LoggerMessage(EventId = 3301, Level = LogLevel.Warning, Message = "The {Kind} rationale writer fell back to the deterministic writer: {Why}")]
    public static partial void WriterFellBack(ILogger logger, string kind, string why);
}
