namespace ReflexiveIdentity.Omega;

/// <summary>agent_omega's settings (<c>AgentOmega__*</c>).</summary>
public sealed class AgentOmegaOptions
{
    /// <summary>The agent id it runs as (its <c>app_metadata.agent_id</c>).</summary>
    public string AgentId { get; set; } = "agent_omega";

    /// <summary>The Auth0 application it gets tokens through (refresh-token grant).</summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>The application's secret when it is a confidential client (a regular web app); empty for a native app. Never logged.</summary>
    public string ClientSecret { get; set; } = string.Empty;

    /// <summary>Its refresh token: a secret, never logged.</summary>
    public string RefreshToken { get; set; } = string.Empty;

    /// <summary>Failed attempts in one job after which it halts itself.</summary>
    public int MaxFailures { get; set; } = 2;

    /// <summary>Connection for <c>blob:</c> destinations (defaults to <c>AzureWebJobsStorage</c>).</summary>
    public string? BlobConnection { get; set; }

    /// <summary>Names the missing settings, or null when the agent can get tokens.</summary>
    public string? MissingSettings()
    {
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(ClientId))
        {
            missing.Add("AgentOmega__ClientId");
        }

        if (string.IsNullOrWhiteSpace(RefreshToken))
        {
            missing.Add("AgentOmega__RefreshToken");
        }

        return missing.Count == 0 ? null : string.Join(", ", missing);
    }
}
