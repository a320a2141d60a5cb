using System.Text.Json.Nodes;
using ReflexiveIdentity.Auth0Emulation.Seed;

namespace ReflexiveIdentity.Auth0Emulation.Tenant;

/// <summary>
/// The tenant in memory: users, applications, client grants, APIs and refresh tokens. Every read
/// returns a copy taken under one lock, so callers never see a half-applied change.
/// </summary>
internal sealed class TenantState
{
    /// <summary>The Management API scopes the emulator knows; its client grant may hold any of them.</summary>
    public static readonly IReadOnlyList<string> ManagementScopes =
    [
        "read:users", "update:users", "create:users", "delete:users",
        "read:users_app_metadata", "update:users_app_metadata", "create:users_app_metadata", "delete:users_app_metadata",
        "read:clients", "update:clients", "read:client_keys",
        "read:client_grants", "create:client_grants", "update:client_grants", "delete:client_grants",
        "read:resource_servers",
    ];

    private readonly Lock _gate = new();
    private readonly TenantAddress _address;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, ApiRecord> _apis = new(StringComparer.Ordinal);
    private readonly List<UserRecord> _users = [];
    private readonly List<ClientRecord> _clients = [];
    private readonly List<GrantRecord> _grants = [];
    private readonly Dictionary<string, SeedRefreshToken> _refreshTokens = new(StringComparer.Ordinal);
    private readonly string? _defaultAudience;

    public TenantState(TenantSeed seed, TenantAddress address, TimeProvider time)
    {
        _address = address;
        _time = time;
        Name = seed.Tenant;
        _defaultAudience = seed.DefaultAudience;
        var now = time.GetUtcNow();

        _apis[TenantSeed.ManagementAudience] = new ApiRecord(TenantSeed.ManagementAudience, "Auth0 Management API", [.. ManagementScopes.Select(s => (s, (string?)null))]);
        foreach (var api in seed.ResourceServers)
        {
            _apis[api.Identifier] = new ApiRecord(api.Identifier, api.Name ?? api.Identifier, [.. api.Scopes.Select(s => (s.Value, s.Description))]);
        }

        foreach (var user in seed.Users)
        {
            _users.Add(new UserRecord
            {
                UserId = user.UserId,
                Email = user.Email,
                Name = user.Name ?? user.Email ?? user.UserId,
                AppMetadata = (JsonObject?)user.AppMetadata?.DeepClone() ?? [],
                UserMetadata = (JsonObject?)user.UserMetadata?.DeepClone() ?? [],
                Permissions = [.. user.Permissions.Select(p => new Permission(p.ResourceServerIdentifier, p.PermissionName))],
                Roles = [.. user.Roles],
                LoginsCount = user.LoginsCount,
                CreatedAt = now,
                UpdatedAt = now,
            });
        }

        foreach (var client in seed.Clients)
        {
            _clients.Add(new ClientRecord
            {
                ClientId = client.ClientId,
                Secret = client.ClientSecret,
                Name = client.Name ?? client.ClientId,
                AppType = client.AppType,
                GrantTypes = [.. client.GrantTypes],
                Metadata = new Dictionary<string, string>(client.ClientMetadata, StringComparer.Ordinal),
            });
        }

        foreach (var grant in seed.ClientGrants)
        {
            _grants.Add(new GrantRecord
            {
                Id = grant.Id ?? $"cgr_{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8))}",
                ClientId = grant.ClientId,
                Audience = grant.Audience,
                Scope = [.. grant.Scope],
            });
        }

        foreach (var token in seed.RefreshTokens)
        {
            _refreshTokens[token.Token] = token;
        }
    }

    public string Name { get; }

    /// <summary>The expanded default audience, or null when the seed names none.</summary>
    public string? DefaultAudience => _defaultAudience is null ? null : _address.Expand(_defaultAudience);

    public ApiView? FindApi(string audience)
    {
        lock (_gate)
        {
            var api = _apis.Values.FirstOrDefault(a => _address.Expand(a.Identifier) == audience);
            return api is null ? null : new ApiView(_address.Expand(api.Identifier), api.Name, api.Scopes);
        }
    }

    public UserView? FindUser(string userId)
    {
        lock (_gate)
        {
            return Find(userId)?.ToView();
        }
    }

    public IReadOnlyList<UserView> ListUsers()
    {
        lock (_gate)
        {
            return [.. _users.Select(u => u.ToView())];
        }
    }

    /// <summary>Applies a Management API user PATCH; a null metadata patch leaves that metadata alone.</summary>
    public UserView? UpdateUser(string userId, JsonObject? appMetadata, JsonObject? userMetadata, string? email, string? name)
    {
        lock (_gate)
        {
            var user = Find(userId);
            if (user is null)
            {
                return null;
            }

            if (appMetadata is not null)
            {
                MetadataMerge.Apply(user.AppMetadata, appMetadata);
            }

            if (userMetadata is not null)
            {
                MetadataMerge.Apply(user.UserMetadata, userMetadata);
            }

            user.Email = email ?? user.Email;
            user.Name = name ?? user.Name;
            user.UpdatedAt = _time.GetUtcNow();
            return user.ToView();
        }
    }

    /// <summary>Sets app_metadata keys an Action set with <c>api.user.setAppMetadata</c>.</summary>
    public void SetAppMetadata(string userId, JsonObject values)
    {
        if (values.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (Find(userId) is { } user)
            {
                foreach (var (key, value) in values)
                {
                    if (value is null)
                    {
                        user.AppMetadata.Remove(key);
                    }
                    else
                    {
                        user.AppMetadata[key] = value.DeepClone();
                    }
                }

                user.UpdatedAt = _time.GetUtcNow();
            }
        }
    }

    /// <summary>Adds permissions; false when the user does not exist.</summary>
    public bool AddPermissions(string userId, IEnumerable<Permission> permissions)
    {
        lock (_gate)
        {
            var user = Find(userId);
            if (user is null)
            {
                return false;
            }

            foreach (var permission in permissions)
            {
                if (!user.Permissions.Contains(permission))
                {
                    user.Permissions.Add(permission);
                }
            }

            user.UpdatedAt = _time.GetUtcNow();
            return true;
        }
    }

    /// <summary>Removes permissions; false when the user does not exist.</summary>
    public bool RemovePermissions(string userId, IEnumerable<Permission> permissions)
    {
        lock (_gate)
        {
            var user = Find(userId);
            if (user is null)
            {
                return false;
            }

            foreach (var permission in permissions)
            {
                user.Permissions.Remove(permission);
            }

            user.UpdatedAt = _time.GetUtcNow();
            return true;
        }
    }

    public ClientView? FindClient(string clientId)
    {
        lock (_gate)
        {
            return _clients.FirstOrDefault(c => c.ClientId == clientId)?.ToView();
        }
    }

    public IReadOnlyList<ClientView> ListClients()
    {
        lock (_gate)
        {
            return [.. _clients.Select(c => c.ToView())];
        }
    }

    /// <summary>Merges client metadata: a null value deletes its key.</summary>
    public ClientView? UpdateClientMetadata(string clientId, IReadOnlyDictionary<string, string?> patch)
    {
        lock (_gate)
        {
            var client = _clients.FirstOrDefault(c => c.ClientId == clientId);
            if (client is null)
            {
                return null;
            }

            foreach (var (key, value) in patch)
            {
                if (value is null)
                {
                    client.Metadata.Remove(key);
                }
                else
                {
                    client.Metadata[key] = value;
                }
            }

            return client.ToView();
        }
    }

    /// <summary>The client grants, optionally only a client's or an audience's (expanded).</summary>
    public IReadOnlyList<ClientGrantView> ListClientGrants(string? clientId = null, string? audience = null)
    {
        lock (_gate)
        {
            return
            [
                .. _grants
                    .Select(g => g.ToView(_address))
                    .Where(g => (clientId is null || g.ClientId == clientId) && (audience is null || g.Audience == audience)),
            ];
        }
    }

    public ClientGrantView? UpdateClientGrantScope(string grantId, IReadOnlyList<string> scope)
    {
        lock (_gate)
        {
            var grant = _grants.FirstOrDefault(g => g.Id == grantId);
            if (grant is null)
            {
                return null;
            }

            grant.Scope = [.. scope.Distinct(StringComparer.Ordinal)];
            return grant.ToView(_address);
        }
    }

    public RefreshTokenView? FindRefreshToken(string token)
    {
        lock (_gate)
        {
            if (!_refreshTokens.TryGetValue(token, out var seeded))
            {
                return null;
            }

            var audience = _address.Expand(seeded.Audience ?? _defaultAudience ?? "");
            var scope = seeded.Scope ?? [.. _apis.Values.FirstOrDefault(a => _address.Expand(a.Identifier) == audience)?.Scopes.Select(s => s.Value) ?? []];
            return new RefreshTokenView(seeded.UserId, seeded.ClientId, audience, scope);
        }
    }

    private UserRecord? Find(string userId) => _users.FirstOrDefault(u => u.UserId == userId);

    private sealed record ApiRecord(string Identifier, string Name, IReadOnlyList<(string Value, string? Description)> Scopes);

    private sealed class UserRecord
    {
        public required string UserId { get; init; }

        public string? Email { get; set; }

        public string? Name { get; set; }

        public required JsonObject AppMetadata { get; init; }

        public required JsonObject UserMetadata { get; init; }

        public required List<Permission> Permissions { get; init; }

        public required List<string> Roles { get; init; }

        public int LoginsCount { get; init; }

        public DateTimeOffset CreatedAt { get; init; }

        public DateTimeOffset UpdatedAt { get; set; }

        public UserView ToView() => new(
            UserId,
            Email,
            Name,
            (JsonObject)AppMetadata.DeepClone(),
            (JsonObject)UserMetadata.DeepClone(),
            [.. Permissions],
            [.. Roles],
            LoginsCount,
            CreatedAt,
            UpdatedAt);
    }

    private sealed class ClientRecord
    {
        public required string ClientId { get; init; }

        public string? Secret { get; init; }

        public required string Name { get; init; }

        public required string AppType { get; init; }

        public required List<string> GrantTypes { get; init; }

        public required Dictionary<string, string> Metadata { get; init; }

        public ClientView ToView() => new(ClientId, Secret, Name, AppType, [.. GrantTypes], new Dictionary<string, string>(Metadata, StringComparer.Ordinal));
    }

    private sealed class GrantRecord
    {
        public required string Id { get; init; }

        public required string ClientId { get; init; }

        public required string Audience { get; init; }

        public required List<string> Scope { get; set; }

        public ClientGrantView ToView(TenantAddress address) => new(Id, ClientId, address.Expand(Audience), [.. Scope]);
    }
}
