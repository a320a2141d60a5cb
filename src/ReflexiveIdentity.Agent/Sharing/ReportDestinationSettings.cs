namespace ReflexiveIdentity.Omega.Sharing;

/// <summary>What a destination string may need besides itself: the blob connection, a header for HTTPS endpoints.</summary>
public sealed class ReportDestinationSettings
{
    /// <summary>A storage connection string or blob service URI, for <c>blob:</c> destinations (see <see cref="Sharing.BlobConnection"/>).</summary>
    public string? BlobConnection { get; init; }

    /// <summary>The user-assigned managed identity for a blob service URI; defaults to <c>AZURE_CLIENT_ID</c>.</summary>
    public string? ManagedIdentityClientId { get; init; }

    /// <summary>A header sent with every report POST to an HTTPS destination, e.g. <see cref="ReportRequestHeader.Bearer"/>.</summary>
    public ReportRequestHeader? HttpsHeader { get; init; }

    /// <summary>The client HTTPS destinations send with; a shared one when null.</summary>
    public HttpClient? HttpClient { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        $"blob connection {(BlobConnection is null ? "none" : "set")}, https header {HttpsHeader?.ToString() ?? "none"}";
}
