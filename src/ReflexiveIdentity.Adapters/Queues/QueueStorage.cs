using Azure.Identity;
using Azure.Storage.Queues;

namespace ReflexiveIdentity.Adapters.Queues;

/// <summary>
/// The function app's queue storage, as the Functions host finds it: <c>AzureWebJobsStorage</c> as a
/// connection string, or identity-based through <c>AzureWebJobsStorage__queueServiceUri</c> /
/// <c>__accountName</c> (with <c>AZURE_CLIENT_ID</c> for a user-assigned identity). Clients encode
/// messages as Base64, which is what the Functions queue trigger expects by default.
/// </summary>
/// <param name="ConnectionString">A storage connection string (<c>UseDevelopmentStorage=true</c> for Azurite).</param>
/// <param name="QueueServiceUri">The queue service URI, for identity-based access.</param>
/// <param name="AccountName">The storage account name, for identity-based access.</param>
public sealed record QueueStorage(string? ConnectionString, string? QueueServiceUri, string? AccountName)
{
    /// <summary>A Base64 client for <paramref name="queueName"/> (the queue is not created here).</summary>
    public QueueClient Open(string queueName)
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        if (!string.IsNullOrWhiteSpace(ConnectionString))
        {
            return new QueueClient(ConnectionString, queueName, options);
        }

        var serviceUri = !string.IsNullOrWhiteSpace(QueueServiceUri) ? new Uri(QueueServiceUri.TrimEnd('/') + "/")
            : !string.IsNullOrWhiteSpace(AccountName) ? new Uri($"https://{AccountName}.queue.core.windows.net/")
            : throw new InvalidOperationException($"The {queueName} queue needs the function app's storage: set AzureWebJobsStorage (or AzureWebJobsStorage__accountName for identity-based access).");
        var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = Environment.GetEnvironmentVariable("AZURE_CLIENT_ID") });
        return new QueueClient(new Uri(serviceUri, queueName), credential, options);
    }
}
