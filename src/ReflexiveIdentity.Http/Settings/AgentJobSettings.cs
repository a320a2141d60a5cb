using System.Globalization;
using Microsoft.Extensions.Configuration;
using ReflexiveIdentity.Adapters.Queues;

namespace ReflexiveIdentity.Http.Settings;

/// <summary>Where agent_omega's jobs queue and how often a failing job is tried (<c>AgentOmega__*</c>, and the Functions host's queue settings).</summary>
public sealed record AgentJobSettings
{
    /// <summary>The attempts a job gets before it goes to <c>agent-jobs-poison</c>; host.json's <c>extensions.queues.maxDequeueCount</c>.</summary>
    public const int DefaultMaxDequeueCount = 5;

    /// <summary>The wait before a failed job is tried again; host.json's <c>extensions.queues.visibilityTimeout</c>.</summary>
    public static readonly TimeSpan DefaultRetryDelay = TimeSpan.FromSeconds(30);

    /// <summary>The one agent that runs jobs (<c>AgentOmega__AgentId</c>, default <c>agent_omega</c>).</summary>
    public required string AgentId { get; init; }

    /// <summary>The CLI host's queue (<c>AgentOmega__Queue</c>): in-process (default) or the storage queue. The Functions host always uses storage.</summary>
    public required AgentJobQueueKind Queue { get; init; }

    /// <summary>The CLI host's storage queue (<c>AgentOmega__QueueName</c>, default <c>agent-jobs</c>), so several services can share one account; the Functions worker always listens on <c>agent-jobs</c>.</summary>
    public required string QueueName { get; init; }

    /// <summary>Attempts per job, including the first (<c>AzureFunctionsJobHost__extensions__queues__maxDequeueCount</c>).</summary>
    public required int MaxDequeueCount { get; init; }

    /// <summary>Wait before a retry (<c>AzureFunctionsJobHost__extensions__queues__visibilityTimeout</c>).</summary>
    public required TimeSpan RetryDelay { get; init; }

    /// <summary>The storage behind <c>agent-jobs</c> (<c>AzureWebJobsStorage</c>, or its identity-based settings).</summary>
    public required QueueStorage Storage { get; init; }

    /// <summary>True when <see cref="Storage"/> names an account.</summary>
    public bool HasStorage => Storage.ConnectionString is not null || Storage.QueueServiceUri is not null || Storage.AccountName is not null;

    /// <summary>Reads and validates the settings; throws <see cref="SettingsException"/> naming each bad one.</summary>
    public static AgentJobSettings Load(IConfiguration configuration)
    {
        var problems = new List<string>();
        var agentId = ServiceSettings.Blank(configuration["AgentOmega:AgentId"]) ?? "agent_omega";
        if (!Agents.Agent.IsValidId(agentId))
        {
            problems.Add($"AgentOmega__AgentId '{agentId}' is not a valid agent id.");
        }

        var queueSetting = ServiceSettings.Blank(configuration["AgentOmega:Queue"]) ?? "in-process";
        var queue = queueSetting.ToLowerInvariant() switch
        {
            "in-process" => AgentJobQueueKind.InProcess,
            "storage" => AgentJobQueueKind.Storage,
            _ => (AgentJobQueueKind?)null,
        };
        if (queue is null)
        {
            problems.Add($"AgentOmega__Queue '{queueSetting}' is neither 'in-process' nor 'storage'.");
        }

        var queueName = ServiceSettings.Blank(configuration["AgentOmega:QueueName"]) ?? "agent-jobs";
        if (queueName.Length is < 3 or > 56 || !queueName.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') || queueName.StartsWith('-') || queueName.EndsWith('-') || queueName.Contains("--", StringComparison.Ordinal))
        {
            problems.Add($"AgentOmega__QueueName '{queueName}' must be 3 to 56 lowercase letters, digits or single hyphens (a storage queue name that leaves room for '-poison').");
        }

        var maxSetting = ServiceSettings.Blank(configuration["AzureFunctionsJobHost:extensions:queues:maxDequeueCount"]);
        var max = DefaultMaxDequeueCount;
        if (maxSetting is not null && (!int.TryParse(maxSetting, NumberStyles.None, CultureInfo.InvariantCulture, out max) || max < 1))
        {
            problems.Add($"AzureFunctionsJobHost__extensions__queues__maxDequeueCount '{maxSetting}' must be a whole number of at least 1.");
        }

        var delaySetting = ServiceSettings.Blank(configuration["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"]);
        var delay = DefaultRetryDelay;
        if (delaySetting is not null && (!TimeSpan.TryParse(delaySetting, CultureInfo.InvariantCulture, out delay) || delay < TimeSpan.Zero))
        {
            problems.Add($"AzureFunctionsJobHost__extensions__queues__visibilityTimeout '{delaySetting}' must be a time span such as 00:00:30.");
        }

        var storage = new QueueStorage(
            ServiceSettings.Blank(configuration["AzureWebJobsStorage"]),
            ServiceSettings.Blank(configuration["AzureWebJobsStorage:queueServiceUri"]),
            ServiceSettings.Blank(configuration["AzureWebJobsStorage:accountName"]));
        var settings = new AgentJobSettings
        {
            AgentId = agentId,
            Queue = queue ?? AgentJobQueueKind.InProcess,
            QueueName = queueName,
            MaxDequeueCount = max,
            RetryDelay = delay,
            Storage = storage,
        };
        if (settings.Queue == AgentJobQueueKind.Storage && !settings.HasStorage)
        {
            problems.Add("AgentOmega__Queue=storage needs the storage account: set AzureWebJobsStorage (UseDevelopmentStorage=true for Azurite).");
        }

        return problems.Count > 0 ? throw new SettingsException(problems) : settings;
    }
}

/// <summary>Which queue carries jobs in the CLI host.</summary>
public enum AgentJobQueueKind
{
    /// <summary>In the process: jobs run one at a time in the background of <c>reflexive serve</c>.</summary>
    InProcess,

    /// <summary>The <c>agent-jobs</c> storage queue, as in the Functions host.</summary>
    Storage,
}
