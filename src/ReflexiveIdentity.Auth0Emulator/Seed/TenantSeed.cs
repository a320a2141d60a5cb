using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReflexiveIdentity.Auth0Emulation.Seed;

/// <summary>
/// The tenant the emulator starts with: APIs, applications, client grants, users, refresh tokens
/// and Action bindings. Read from a JSON file (snake_case) with <see cref="Load"/> or built in code.
/// An audience may contain <c>##ISSUER##</c>, replaced at run time by the emulator's issuer
/// (<c>##ISSUER##api/v2/</c> is the Management API).
/// </summary>
public sealed class TenantSeed
{
    /// <summary>The keyword in an audience that stands for the issuer, e.g. <c>http://127.0.0.1:PORT/</c>.</summary>
    public const string IssuerKeyword = "##ISSUER##";

    /// <summary>The Management API's audience, written with <see cref="IssuerKeyword"/>.</summary>
    public const string ManagementAudience = IssuerKeyword + "api/v2/";

    /// <summary>The tenant name, <c>event.tenant.id</c> in Actions.</summary>
    public string Tenant { get; init => field = value ?? "reflexive-local"; } = "reflexive-local";

    /// <summary>The audience used when a token request names none.</summary>
    public string? DefaultAudience { get; init; }

    public IReadOnlyList<SeedResourceServer> ResourceServers { get; init => field = value ?? []; } = [];

    public IReadOnlyList<SeedClient> Clients { get; init => field = value ?? []; } = [];

    public IReadOnlyList<SeedClientGrant> ClientGrants { get; init => field = value ?? []; } = [];

    public IReadOnlyList<SeedUser> Users { get; init => field = value ?? []; } = [];

    public IReadOnlyList<SeedRefreshToken> RefreshTokens { get; init => field = value ?? []; } = [];

    /// <summary>Trigger (<c>post-login</c>, <c>credentials-exchange</c>) to the Action folders run for it, in order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ActionBindings { get; init => field = value ?? new Dictionary<string, IReadOnlyList<string>>(); } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Action secrets (<c>event.secrets</c>); the emulator's options may override them.</summary>
    public IReadOnlyDictionary<string, string> ActionSecrets { get; init => field = value ?? new Dictionary<string, string>(); } = new Dictionary<string, string>();

    /// <summary>Reads and validates a seed file.</summary>
    /// <exception cref="SeedException">The file is missing, is not valid JSON, or a field is wrong; the message names both.</exception>
    public static TenantSeed Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SeedException($"Seed file '{path}' cannot be read: {e.Message}", e);
        }

        return Parse(json, path);
    }

    /// <summary>Parses and validates seed JSON; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="SeedException">The JSON is invalid or a field is wrong.</exception>
    public static TenantSeed Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        TenantSeed? seed;
        try
        {
            seed = JsonSerializer.Deserialize(json, SeedJsonContext.Default.TenantSeed);
        }
        catch (JsonException e)
        {
            var where = string.IsNullOrEmpty(e.Path) ? "" : $" at {e.Path}";
            var line = e.LineNumber is { } n ? $" (line {n + 1})" : "";
            throw new SeedException($"Seed file '{source}'{where}{line}: {e.Message}", e);
        }

        if (seed is null)
        {
            throw new SeedException($"Seed file '{source}': the root must be a JSON object, not null.");
        }

        SeedValidator.Validate(seed, source);
        return seed;
    }
}

/// <summary>An API (resource server) and the scopes it defines.</summary>
public sealed class SeedResourceServer
{
    public required string Identifier { get; init; }

    public string? Name { get; init; }

    public IReadOnlyList<SeedScope> Scopes { get; init => field = value ?? []; } = [];
}

/// <summary>A scope an API defines.</summary>
public sealed class SeedScope
{
    public required string Value { get; init; }

    public string? Description { get; init; }
}

/// <summary>An application. A client without a secret is public (<c>token_endpoint_auth_method: none</c>).</summary>
public sealed class SeedClient
{
    public required string ClientId { get; init; }

    public string? ClientSecret { get; init; }

    public string? Name { get; init; }

    /// <summary><c>non_interactive</c> (M2M), <c>native</c>, <c>regular_web</c> or <c>spa</c>.</summary>
    public string AppType { get; init => field = value ?? "non_interactive"; } = "non_interactive";

    public IReadOnlyList<string> GrantTypes { get; init => field = value ?? ["client_credentials"]; } = ["client_credentials"];

    /// <summary>Auth0 keeps client metadata as strings.</summary>
    public IReadOnlyDictionary<string, string> ClientMetadata { get; init => field = value ?? new Dictionary<string, string>(); } = new Dictionary<string, string>();
}

/// <summary>Authorizes a client for an API with scopes (client-credentials grant).</summary>
public sealed class SeedClientGrant
{
    /// <summary>Generated (<c>cgr_...</c>) when missing.</summary>
    public string? Id { get; init; }

    public required string ClientId { get; init; }

    public required string Audience { get; init; }

    public IReadOnlyList<string> Scope { get; init => field = value ?? []; } = [];
}

/// <summary>A user; agents carry <c>app_metadata.agent_id</c>.</summary>
public sealed class SeedUser
{
    public required string UserId { get; init; }

    public string? Email { get; init; }

    public string? Name { get; init; }

    public JsonObject? AppMetadata { get; init; }

    public JsonObject? UserMetadata { get; init; }

    /// <summary>RBAC permissions, directly assigned.</summary>
    public IReadOnlyList<SeedPermissionAssignment> Permissions { get; init => field = value ?? []; } = [];

    /// <summary>Role names, <c>event.authorization.roles</c> in Actions.</summary>
    public IReadOnlyList<string> Roles { get; init => field = value ?? []; } = [];

    public int LoginsCount { get; init; }
}

/// <summary>A permission (a scope of an API) assigned to a user.</summary>
public sealed class SeedPermissionAssignment
{
    public required string ResourceServerIdentifier { get; init; }

    public required string PermissionName { get; init; }
}

/// <summary>A refresh token issued to a user through an application.</summary>
public sealed class SeedRefreshToken
{
    public required string Token { get; init; }

    public required string UserId { get; init; }

    public required string ClientId { get; init; }

    /// <summary>The API its access tokens are for; the seed's default audience when missing.</summary>
    public string? Audience { get; init; }

    /// <summary>The scopes originally granted; every scope of the API when missing.</summary>
    public IReadOnlyList<string>? Scope { get; init; }
}
