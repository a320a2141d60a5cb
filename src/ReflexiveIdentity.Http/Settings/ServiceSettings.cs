using Microsoft.Extensions.Configuration;
using ReflexiveIdentity.Adapters.Reasoning;

namespace ReflexiveIdentity.Http.Settings;

/// <summary>
/// The service's settings, read once at start from configuration (environment variables, or the
/// <c>Values</c> of <c>local.settings.json</c>) under the names of DESIGN.md section 8, and validated
/// with messages that name the setting as an operator writes it (<c>Webhook__SigningSecrets</c>).
/// </summary>
public sealed record ServiceSettings
{
    /// <summary>The shortest signing secret accepted.</summary>
    public const int MinimumSecretLength = 16;

    /// <summary>Secrets that may sign webhook requests (several during a rotation).</summary>
    public required IReadOnlyList<string> SigningSecrets { get; init; }

    /// <summary>The policy file, or null for the built-in policy.</summary>
    public string? PolicyPath { get; init; }

    /// <summary>Where the ledger lives.</summary>
    public required LedgerSettings Ledger { get; init; }

    /// <summary>The Auth0 tenant whose tokens the admin routes (and agents' stages) accept.</summary>
    public required Auth0Settings Auth0 { get; init; }

    /// <summary>The Azure OpenAI deployment behind the judge and the rationale writer (off when not configured).</summary>
    public required OpenAISettings OpenAI { get; init; }

    /// <summary>The integrity sweep's NCRONTAB schedule (<c>Sweep__Schedule</c>, six fields with seconds).</summary>
    public required string SweepSchedule { get; init; }

    /// <summary>The default <see cref="SweepSchedule"/>: every five minutes.</summary>
    public const string DefaultSweepSchedule = "0 */5 * * * *";

    /// <summary>Reads and validates the settings; throws <see cref="SettingsException"/> listing every problem.</summary>
    public static ServiceSettings Load(IConfiguration configuration)
    {
        var problems = new List<string>();

        var secrets = (configuration["Webhook:SigningSecrets"] ?? string.Empty)
            .Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (secrets.Length == 0)
        {
            problems.Add("Webhook__SigningSecrets is required: one or more secrets (comma-separated) that sign webhook requests, e.g. generate one with `openssl rand -hex 32`.");
        }
        else if (secrets.Any(secret => secret.Length < MinimumSecretLength))
        {
            problems.Add($"Webhook__SigningSecrets: every secret must be at least {MinimumSecretLength} characters long.");
        }

        var ledger = LedgerSettings.Read(configuration, problems);
        var policyPath = Blank(configuration["Policy:Path"]);
        if (policyPath is not null && !File.Exists(policyPath))
        {
            problems.Add($"Policy__Path '{policyPath}' does not exist (resolved to {Path.GetFullPath(policyPath)}).");
        }

        var auth0 = Auth0Settings.Read(configuration, problems);
        var openAI = OpenAISettings.Read(configuration, problems);
        var schedule = Blank(configuration["Sweep:Schedule"]) ?? DefaultSweepSchedule;
        if (NCrontab.CrontabSchedule.TryParse(schedule, new NCrontab.CrontabSchedule.ParseOptions { IncludingSeconds = true }) is null)
        {
            problems.Add($"Sweep__Schedule '{schedule}' is not a six-field NCRONTAB expression (seconds minutes hours day month weekday), e.g. {DefaultSweepSchedule}.");
        }

        if (secrets.Any(secret => secret.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase)))
        {
            problems.Add("Webhook__SigningSecrets is an unresolved Key Vault reference: grant the app's identity 'Key Vault Secrets User' and check the secret URI.");
        }

        if (problems.Count > 0)
        {
            throw new SettingsException(problems);
        }

        return new ServiceSettings
        {
            SigningSecrets = secrets,
            PolicyPath = policyPath,
            Ledger = ledger,
            Auth0 = auth0,
            OpenAI = openAI,
            SweepSchedule = schedule,
        };
    }

    internal static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>The settings are unusable; the message lists each problem with the setting's name.</summary>
public sealed class SettingsException(IReadOnlyList<string> problems)
    : Exception("Reflexive Identity cannot start:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)))
{
    /// <summary>Each problem, one per setting.</summary>
    public IReadOnlyList<string> Problems { get; } = problems;
}
