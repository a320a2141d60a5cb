namespace ReflexiveIdentity.Adapters.Auth0;

/// <summary>The fields of a Management API client (application) that Reflexive Identity reads.</summary>
public sealed record Auth0Client
{
    /// <summary><c>client_id</c>.</summary>
    public required string ClientId { get; init; }

    /// <summary><c>name</c>.</summary>
    public string? Name { get; init; }

    /// <summary><c>client_metadata</c>: string values only, at most 10 keys of at most 255 characters.</summary>
    public IReadOnlyDictionary<string, string>? ClientMetadata { get; init; }
}
