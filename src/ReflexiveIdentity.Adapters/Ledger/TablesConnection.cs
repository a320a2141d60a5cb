using Azure.Data.Tables;
using Azure.Identity;

namespace ReflexiveIdentity.Adapters.Ledger;

/// <summary>
/// How to reach a Table service: a storage connection string (Azurite's <c>UseDevelopmentStorage=true</c>,
/// <c>DefaultEndpointsProtocol=...;AccountName=...;AccountKey=...</c>, a SAS connection string) or a table
/// service URI (<c>https://&lt;account&gt;.table.core.windows.net</c>) reached with
/// <see cref="DefaultAzureCredential"/>. A class, not a record, so that the secret it may hold never
/// shows in a generated <c>ToString</c>: <see cref="ToString"/> describes the endpoint only.
/// </summary>
public sealed class TablesConnection
{
    private const string KeyVaultReferencePrefix = "@Microsoft.KeyVault(";

    private readonly string? connectionString;
    private readonly Uri? serviceUri;

    private TablesConnection(string? connectionString, Uri? serviceUri, string? managedIdentityClientId, string description)
    {
        this.connectionString = connectionString;
        this.serviceUri = serviceUri;
        ManagedIdentityClientId = managedIdentityClientId;
        Description = description;
    }

    /// <summary>True when the service is reached with an Entra ID token rather than a key or SAS.</summary>
    public bool UsesIdentity => serviceUri is not null && string.IsNullOrEmpty(serviceUri.Query);

    /// <summary>The user-assigned managed identity to use with <see cref="UsesIdentity"/>, if any.</summary>
    public string? ManagedIdentityClientId { get; }

    /// <summary>The endpoint, without keys or signatures; safe to print.</summary>
    public string Description { get; }

    /// <summary>True when <paramref name="value"/> is a Key Vault reference the platform did not resolve.</summary>
    public static bool IsUnresolvedKeyVaultReference(string? value) =>
        value is not null && value.TrimStart().StartsWith(KeyVaultReferencePrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Parses a connection string or table service URI. The managed identity client id defaults to the
    /// <c>AZURE_CLIENT_ID</c> environment variable. Throws <see cref="FormatException"/> with a message that
    /// never repeats the value (it may hold a key).
    /// </summary>
    public static TablesConnection Parse(string value, string? managedIdentityClientId = null) =>
        TryParse(value, managedIdentityClientId, out var connection, out var problem) ? connection : throw new FormatException(problem);

    /// <summary>Parses like <see cref="Parse"/>; on failure <paramref name="problem"/> says what is wrong, without the value.</summary>
    public static bool TryParse(string? value, string? managedIdentityClientId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TablesConnection? connection, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? problem)
    {
        connection = null;
        var clientId = string.IsNullOrWhiteSpace(managedIdentityClientId) ? Environment.GetEnvironmentVariable("AZURE_CLIENT_ID") : managedIdentityClientId;
        clientId = string.IsNullOrWhiteSpace(clientId) ? null : clientId.Trim();
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            problem = "is empty; give a storage connection string or a table service URI (https://<account>.table.core.windows.net).";
            return false;
        }

        if (IsUnresolvedKeyVaultReference(text))
        {
            problem = "is an unresolved Key Vault reference (@Microsoft.KeyVault(...)): the platform could not read the secret. Check the reference and that the app's identity may read it (Key Vault Secrets User), or give the connection string directly.";
            return false;
        }

        if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.UserInfo))
            {
                problem = "is not a usable table service URI; expected https://<account>.table.core.windows.net.";
                return false;
            }

            var endpoint = uri.GetLeftPart(UriPartial.Path);
            connection = new TablesConnection(null, uri, clientId, string.IsNullOrEmpty(uri.Query) ? $"{endpoint} (Entra ID)" : $"{endpoint} (SAS)");
            problem = null;
            return true;
        }

        if (!text.Contains('=', StringComparison.Ordinal))
        {
            problem = "is neither a storage connection string (Key=Value;...) nor a table service URI (https://<account>.table.core.windows.net).";
            return false;
        }

        try
        {
            var client = new TableServiceClient(text);
            connection = new TablesConnection(text, null, clientId, $"{client.Uri.GetLeftPart(UriPartial.Path)} (account {client.AccountName})");
            problem = null;
            return true;
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or ArgumentException)
        {
            problem = "is not a valid storage connection string (UseDevelopmentStorage=true, or DefaultEndpointsProtocol=...;AccountName=...;AccountKey=...) "
                + "nor a table service URI (https://<account>.table.core.windows.net).";
            return false;
        }
    }

    /// <summary>A client for the service.</summary>
    public TableServiceClient CreateClient(TableClientOptions? options = null)
    {
        if (connectionString is not null)
        {
            return new TableServiceClient(connectionString, options);
        }

        if (!UsesIdentity)
        {
            return new TableServiceClient(serviceUri!, options);
        }

        var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = ManagedIdentityClientId });
        return new TableServiceClient(serviceUri!, credential, options);
    }

    /// <inheritdoc />
    public override string ToString() => Description;
}
