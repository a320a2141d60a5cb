using Microsoft.Extensions.Configuration;

namespace ReflexiveIdentity.Http.Settings;

/// <summary>
/// Where the ledger lives (<c>Ledger__Provider</c>, <c>Ledger__SqlitePath</c>). Read on its own too, so
/// operator tools such as <c>reflexive ledger verify</c> need no webhook secrets.
/// </summary>
public sealed record LedgerSettings
{
    /// <summary>The SQLite ledger file.</summary>
    public required string SqlitePath { get; init; }

    /// <summary>Reads and validates the ledger settings alone.</summary>
    public static LedgerSettings Load(IConfiguration configuration)
    {
        var problems = new List<string>();
        var settings = Read(configuration, problems);
        return problems.Count == 0 ? settings : throw new SettingsException(problems);
    }

    internal static LedgerSettings Read(IConfiguration configuration, List<string> problems)
    {
        var provider = ServiceSettings.Blank(configuration["Ledger:Provider"]) ?? "sqlite";
        if (!string.Equals(provider, "sqlite", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"Ledger__Provider '{provider}' is not available in this build; use 'sqlite'.");
        }

        return new LedgerSettings { SqlitePath = ServiceSettings.Blank(configuration["Ledger:SqlitePath"]) ?? DefaultSqlitePath() };
    }

    private static string DefaultSqlitePath()
    {
        var home = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        return Path.Combine(home, ".reflexive", "ledger.db");
    }
}
