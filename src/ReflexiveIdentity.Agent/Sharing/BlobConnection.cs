using Azure.Identity;
using Azure.Storage.Blobs;

namespace ReflexiveIdentity.Omega.Sharing;

/// <summary>
/// How to reach a Blob service, like the Tables ledger's connection: a storage connection string (Azurite's
/// <c>UseDevelopmentStorage=true</c>, <c>DefaultEndpointsProtocol=...;AccountKey=...</c>, a SAS connection string), a
/// blob service URI with a SAS query, or a plain blob service URI (<c>https://&lt;account&gt;.blob.core.windows.net</c>)
/// reached with <see cref="DefaultAzureCredential"/>. A class, not a record, so a key never shows in <c>ToString</c>.
/// </summary>
public sealed class BlobConnection
{
    private readonly string? connectionString;
    private readonly Uri? serviceUri;
    private readonly string? managedIdentityClientId;

    private BlobConnection(string? connectionString, Uri? serviceUri, string? managedIdentityClientId, string description)
    {
        this.connectionString = connectionString;
        this.serviceUri = serviceUri;
        this.managedIdentityClientId = managedIdentityClientId;
        Description = description;
    }

    /// <summary>The endpoint, without keys or signatures; safe to print.</summary>
    public string Description { get; }

    /// <summary>
    /// Parses a connection string or blob service URI; the managed identity defaults to <c>AZURE_CLIENT_ID</c>.
    /// Throws <see cref="FormatException"/> with a message that never repeats the value (it may hold a key).
    /// </summary>
    public static BlobConnection Parse(string? value, string? managedIdentityClientId = null)
    {
        var clientId = string.IsNullOrWhiteSpace(managedIdentityClientId) ? Environment.GetEnvironmentVariable("AZURE_CLIENT_ID") : managedIdentityClientId;
        clientId = string.IsNullOrWhiteSpace(clientId) ? null : clientId.Trim();
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            throw new FormatException("A blob destination needs a blob connection: a storage connection string or a blob service URI (https://<account>.blob.core.windows.net).");
        }

        if (text.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException("The blob connection is an unresolved Key Vault reference (@Microsoft.KeyVault(...)): the platform could not read the secret.");
        }

        if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.UserInfo))
            {
                throw new FormatException("The blob connection is not a usable blob service URI; expected https://<account>.blob.core.windows.net.");
            }

            var endpoint = uri.GetLeftPart(UriPartial.Path);
            return new BlobConnection(null, uri, clientId, string.IsNullOrEmpty(uri.Query) ? $"{endpoint} (Entra ID)" : $"{endpoint} (SAS)");
        }

        if (!text.Contains('=', StringComparison.Ordinal))
        {
            throw new FormatException("The blob connection is neither a storage connection string (Key=Value;...) nor a blob service URI (https://<account>.blob.core.windows.net).");
        }

        try
        {
            var client = new BlobServiceClient(text);
            return new BlobConnection(text, null, clientId, $"{client.Uri.GetLeftPart(UriPartial.Path)} (account {client.AccountName})");
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or ArgumentException)
        {
            throw new FormatException("The blob connection is not a valid storage connection string (UseDevelopmentStorage=true, or DefaultEndpointsProtocol=...;AccountName=...;AccountKey=...).");
        }
    }

    /// <summary>A client for the service.</summary>
    public BlobServiceClient CreateClient(BlobClientOptions? options = null)
    {
        if (connectionString is not null)
        {
            return new BlobServiceClient(connectionString, options);
        }

        if (!string.IsNullOrEmpty(serviceUri!.Query))
        {
            return new BlobServiceClient(serviceUri, options);
        }

        var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = managedIdentityClientId });
        return new BlobServiceClient(serviceUri, credential, options);
    }

    /// <inheritdoc />
    public override string ToString() => Description;
}
