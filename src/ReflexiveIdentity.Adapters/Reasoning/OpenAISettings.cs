using System.Globalization;
using Microsoft.Extensions.Configuration;
using ReflexiveIdentity.Reasoning;

namespace ReflexiveIdentity.Adapters.Reasoning;

/// <summary>
/// The Azure OpenAI deployment behind the judge and the rationale writer: <c>OpenAI__Endpoint</c>,
/// <c>OpenAI__Deployment</c>, <c>OpenAI__ApiKey</c>, plus <c>OpenAI__JudgeBudgetSeconds</c> (default 2.5) and
/// <c>OpenAI__JudgeFailClosed</c> (default false). Without an endpoint the reasoning layer is deterministic:
/// no judge (policy only) and the deterministic rationale writer.
/// </summary>
public sealed record OpenAISettings
{
    /// <summary>The longest judge budget accepted: the Auth0 Action waits 4 s for the whole webhook.</summary>
    public const double MaxJudgeBudgetSeconds = 3.5;

    /// <summary>The Azure OpenAI resource, e.g. <c>https://my-resource.openai.azure.com/</c>; null when not configured.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>The chat model deployment's name.</summary>
    public string? Deployment { get; init; }

    /// <summary>The resource's API key, or null to authenticate with the app's managed identity (<c>AZURE_CLIENT_ID</c>). Never logged.</summary>
    public string? ApiKey { get; init; }

    /// <summary>The judge's hard time budget.</summary>
    public TimeSpan JudgeBudget { get; init; } = RationaleReviewOptions.DefaultJudgeBudget;

    /// <summary>When true, an unavailable judge denies the elevated scopes (<c>judge_unavailable</c>) instead of letting the policy decision stand.</summary>
    public bool JudgeFailClosed { get; init; }

    /// <summary>True when the judge and the model-backed writer are on.</summary>
    public bool IsConfigured => Endpoint is not null && Deployment is not null;

    /// <summary>What runs, without secrets, for start-up banners.</summary>
    public string Description => IsConfigured
        ? string.Create(
            CultureInfo.InvariantCulture,
            $"Azure OpenAI deployment {Deployment} at {Endpoint!.GetLeftPart(UriPartial.Authority)} ({(ApiKey is null ? "managed identity" : "API key")}): judge (budget {JudgeBudget.TotalSeconds:0.###} s, {(JudgeFailClosed ? "fail-closed: an unavailable judge denies" : "fail-open: an unavailable judge leaves the policy decision")}) and model rationale writer")
        : "deterministic (no OpenAI settings): policy only, no judge; deterministic rationale writer";

    /// <summary>The options <see cref="RationaleReview"/> runs with.</summary>
    public RationaleReviewOptions ReviewOptions => new() { JudgeBudget = JudgeBudget, FailClosed = JudgeFailClosed };

    /// <summary>Reads and validates the settings; throws <see cref="OpenAISettingsException"/> listing every problem.</summary>
    public static OpenAISettings Load(IConfiguration configuration)
    {
        var problems = new List<string>();
        var settings = Read(configuration, problems);
        return problems.Count == 0 ? settings : throw new OpenAISettingsException(problems);
    }

    /// <summary>Reads the settings, adding a message naming the setting to <paramref name="problems"/> for each one that is wrong.</summary>
    public static OpenAISettings Read(IConfiguration configuration, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(problems);
        var endpointText = Blank(configuration["OpenAI:Endpoint"]);
        var deployment = Blank(configuration["OpenAI:Deployment"]);
        var apiKey = Blank(configuration["OpenAI:ApiKey"]);

        Uri? endpoint = null;
        if (endpointText is not null)
        {
            if (!Uri.TryCreate(endpointText, UriKind.Absolute, out endpoint)
                || (endpoint.Scheme != Uri.UriSchemeHttps && !(endpoint.Scheme == Uri.UriSchemeHttp && endpoint.IsLoopback)))
            {
                problems.Add($"OpenAI__Endpoint '{endpointText}' must be an absolute https URL (http only on loopback), e.g. https://my-resource.openai.azure.com/.");
                endpoint = null;
            }

            if (deployment is null)
            {
                problems.Add("OpenAI__Deployment is required with OpenAI__Endpoint: the name of the chat model deployment, e.g. gpt-4o-mini.");
            }
        }
        else if (deployment is not null || apiKey is not null)
        {
            problems.Add("OpenAI__Deployment or OpenAI__ApiKey is set but OpenAI__Endpoint is not: set the endpoint and deployment (and the key, or none to use the app's managed identity) for the model, or none of them for deterministic reasoning.");
        }

        if (apiKey?.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase) == true)
        {
            problems.Add("OpenAI__ApiKey is an unresolved Key Vault reference: grant the app's identity 'Key Vault Secrets User' and check the secret URI.");
        }

        var budget = RationaleReviewOptions.DefaultJudgeBudget;
        if (Blank(configuration["OpenAI:JudgeBudgetSeconds"]) is { } budgetText)
        {
            if (double.TryParse(budgetText, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= MaxJudgeBudgetSeconds)
            {
                budget = TimeSpan.FromSeconds(seconds);
            }
            else
            {
                problems.Add(string.Create(
                    CultureInfo.InvariantCulture,
                    $"OpenAI__JudgeBudgetSeconds '{budgetText}' must be a number of seconds above 0 and at most {MaxJudgeBudgetSeconds} (the Auth0 Action waits 4 s for the whole webhook), e.g. 2.5."));
            }
        }

        var failClosed = false;
        if (Blank(configuration["OpenAI:JudgeFailClosed"]) is { } failClosedText && !bool.TryParse(failClosedText, out failClosed))
        {
            problems.Add($"OpenAI__JudgeFailClosed '{failClosedText}' must be true or false.");
        }

        return new OpenAISettings
        {
            Endpoint = endpoint,
            Deployment = deployment,
            ApiKey = apiKey,
            JudgeBudget = budget,
            JudgeFailClosed = failClosed,
        };
    }

    /// <summary>Never prints the key.</summary>
    public override string ToString() => Description;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>The OpenAI settings are unusable; the message lists each problem with the setting's name.</summary>
public sealed class OpenAISettingsException : Exception
{
    /// <summary>Creates the exception.</summary>
    public OpenAISettingsException()
        : this([])
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public OpenAISettingsException(string message)
        : this([message])
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public OpenAISettingsException(string message, Exception innerException)
        : base(message, innerException) => Problems = [message];

    /// <summary>Creates the exception listing <paramref name="problems"/>.</summary>
    public OpenAISettingsException(IReadOnlyList<string> problems)
        : base("The OpenAI settings are not usable:" + Environment.NewLine + string.Join(Environment.NewLine, (problems ?? []).Select(p => "  - " + p))) =>
        Problems = problems ?? [];

    /// <summary>Each problem, one per setting.</summary>
    public IReadOnlyList<string> Problems { get; }
}
