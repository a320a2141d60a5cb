using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using ReflexiveIdentity.Adapters.Ledger;
using ReflexiveIdentity.Ledger;

namespace ReflexiveIdentity.Http.Settings;

/// <summary>Which store holds the ledger (<c>Ledger__Provider</c>).</summary>
public enum LedgerProvider
{
    /// <summary>One SQLite file (<c>Ledger__SqlitePath</c>): the default, for one instance.</summary>
    Sqlite,

    /// <summary>Azure Table storage (<c>Ledger__TablesConnection</c>): for several instances.</summary>
    Tables,
}

/// <summary>
/// Where the ledger lives: <c>Ledger__Provider</c> (<c>sqlite</c>, the default, or <c>tables</c>),
/// <c>Ledger__SqlitePath</c>, <c>Ledger__TablesConnection</c> (a storage connection string or a table service
/// URI; defaults to <c>AzureWebJobsStorage</c>, or to <c>https://&lt;name&gt;.table.core.windows.net</c> from
/// <c>AzureWebJobsStorage__accountName</c> for identity-based storage) and <c>Ledger__TablesPrefix</c>. Read on
/// its own too, so operator tools such as <c>reflexive ledger verify</c> need no webhook secrets.
/// </summary>
public sealed partial record LedgerSettings
{
    /// <summary>The store.</summary>
    public LedgerProvider Provider { get; init; } = LedgerProvider.Sqlite;

    /// <summary>The SQLite ledger file (used when <see cref="Provider"/> is <see cref="LedgerProvider.Sqlite"/>).</summary>
    public required string SqlitePath { get; init; }

    /// <summary>The Table service (set when <see cref="Provider"/> is <see cref="LedgerProvider.Tables"/>). Prints without secrets.</summary>
    public TablesConnection? TablesConnection { get; init; }

    /// <summary>The prefix of the ledger's table names.</summary>
    public string TablesPrefix { get; init; } = TablesLedger.DefaultPrefix;

    /// <summary>Where the ledger is, without secrets, for start-up banners and tool output.</summary>
    public string Description => Provider == LedgerProvider.Tables
        ? $"tables {TablesConnection}, tables {TablesPrefix}*"
        : $"sqlite {SqlitePath}";

    /// <summary>Reads and validates the ledger settings alone.</summary>
    public static LedgerSettings Load(IConfiguration configuration)
    {
        var problems = new List<string>();
        var settings = Read(configuration, problems);
        return problems.Count == 0 ? settings : throw new SettingsException(problems);
    }

    /// <summary>
    /// Opens the configured ledger (creating the SQLite file or, on first use, the tables). Both ledgers are
    /// <see cref="IDisposable"/>; the caller disposes what it opened.
    /// </summary>
    public ILedger Open() => Provider switch
    {
        LedgerProvider.Tables => TablesLedger.Open(TablesConnection ?? throw new InvalidOperationException("Ledger__TablesConnection is not set."), TablesPrefix),
        _ => SqliteLedger.Open(SqlitePath),
    };

    internal static LedgerSettings Read(IConfiguration configuration, List<string> problems)
    {
        var providerName = Setting(configuration, "Ledger:Provider", problems) ?? "sqlite";
        var sqlitePath = Setting(configuration, "Ledger:SqlitePath", problems) ?? DefaultSqlitePath();
        var settings = new LedgerSettings { SqlitePath = sqlitePath };
        if (string.Equals(providerName, "sqlite", StringComparison.OrdinalIgnoreCase))
        {
            return settings;
        }

        if (!string.Equals(providerName, "tables", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"Ledger__Provider '{providerName}' is not known; use 'sqlite' (the default) or 'tables'.");
            return settings;
        }

        var prefix = Setting(configuration, "Ledger:TablesPrefix", problems) ?? TablesLedger.DefaultPrefix;
        if (!TablesLedger.IsValidPrefix(prefix))
        {
            problems.Add($"Ledger__TablesPrefix '{prefix}' is not a usable table-name prefix: 1 to 40 letters and digits, starting with a letter.");
        }

        return settings with
        {
            Provider = LedgerProvider.Tables,
            TablesConnection = ReadTablesConnection(configuration, problems),
            TablesPrefix = prefix,
        };
    }

    private static TablesConnection? ReadTablesConnection(IConfiguration configuration, List<string> problems)
    {
        var (name, value) = TablesConnectionSetting(configuration, problems);
        if (value is null)
        {
            if (name is null)
            {
                problems.Add(
                    "Ledger__TablesConnection is required when Ledger__Provider is 'tables': a storage connection string or a table service URI "
                    + "(https://<account>.table.core.windows.net). It defaults to AzureWebJobsStorage (or AzureWebJobsStorage__accountName for "
                    + "identity-based storage), and neither is set.");
            }

            return null;
        }

        var clientId = ServiceSettings.Blank(configuration["AZURE_CLIENT_ID"]);
        if (TablesConnection.TryParse(value, clientId, out var connection, out var problem))
        {
            return connection;
        }

        problems.Add($"{name} {problem}");
        return null;
    }

    /// <summary>The setting that names the Table service and its value; a null value with a name means that setting was unusable (already reported).</summary>
    private static (string? Name, string? Value) TablesConnectionSetting(IConfiguration configuration, List<string> problems)
    {
        foreach (var (key, name) in new[] { ("Ledger:TablesConnection", "Ledger__TablesConnection"), ("AzureWebJobsStorage", "AzureWebJobsStorage") })
        {
            if (Setting(configuration, key, problems) is { } value)
            {
                return (name, value);
            }

            if (TablesConnection.IsUnresolvedKeyVaultReference(configuration[key]))
            {
                return (name, null);
            }
        }

        if (Setting(configuration, "AzureWebJobsStorage:tableServiceUri", problems) is { } uri)
        {
            return ("AzureWebJobsStorage__tableServiceUri", uri);
        }

        var accountName = Setting(configuration, "AzureWebJobsStorage:accountName", problems);
        if (accountName is null)
        {
            return (TablesConnection.IsUnresolvedKeyVaultReference(configuration["AzureWebJobsStorage:accountName"]) ? "AzureWebJobsStorage__accountName" : null, null);
        }

        if (!StorageAccountName().IsMatch(accountName))
        {
            problems.Add($"AzureWebJobsStorage__accountName '{accountName}' is not a storage account name (3 to 24 lowercase letters and digits).");
            return ("AzureWebJobsStorage__accountName", null);
        }

        return ("AzureWebJobsStorage__accountName", $"https://{accountName}.table.core.windows.net");
    }

    /// <summary>The trimmed value, or null when blank or an unresolved Key Vault reference (reported).</summary>
    private static string? Setting(IConfiguration configuration, string key, List<string> problems)
    {
        var value = ServiceSettings.Blank(configuration[key]);
        if (TablesConnection.IsUnresolvedKeyVaultReference(value))
        {
            problems.Add(
                $"{key.Replace(":", "__", StringComparison.Ordinal)} is an unresolved Key Vault reference (@Microsoft.KeyVault(...)): the platform could not read "
                + "the secret. Check the reference and that the app's identity may read it (Key Vault Secrets User).");
            return null;
        }

        return value;
    }

    private static string DefaultSqlitePath()
    {
        var home = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        return Path.Combine(home, ".reflexive", "ledger.db");
    }

    [GeneratedRegex("^[a-z0-9]{3,24}$", RegexOptions.CultureInvariant)]
    private static partial Regex StorageAccountName();
}
