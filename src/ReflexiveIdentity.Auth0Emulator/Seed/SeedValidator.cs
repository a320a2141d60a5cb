using System.Diagnostics.CodeAnalysis;
using ReflexiveIdentity.Auth0Emulation.Tokens;

namespace ReflexiveIdentity.Auth0Emulation.Seed;

/// <summary>Checks what JSON deserialization cannot: required values, uniqueness and references between parts.</summary>
internal static class SeedValidator
{
    public static readonly IReadOnlySet<string> Triggers = new HashSet<string>(StringComparer.Ordinal) { "post-login", "credentials-exchange" };

    private static readonly HashSet<string> GrantTypes = new(StringComparer.Ordinal)
    {
        "client_credentials", "refresh_token", "authorization_code", "implicit", "password",
    };

    public static void Validate(TenantSeed seed, string source)
    {
        [DoesNotReturn]
        void Fail(string field, string problem) => throw new SeedException($"Seed file '{source}': {field} {problem}");

        if (string.IsNullOrWhiteSpace(seed.Tenant))
        {
            Fail("tenant", "must not be empty.");
        }

        var apis = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        for (var i = 0; i < seed.ResourceServers.Count; i++)
        {
            var api = seed.ResourceServers[i];
            var at = $"resource_servers[{i}]";
            if (string.IsNullOrWhiteSpace(api.Identifier))
            {
                Fail($"{at}.identifier", "must not be empty.");
            }

            if (api.Identifier.Contains(TenantSeed.IssuerKeyword, StringComparison.Ordinal))
            {
                Fail($"{at}.identifier", $"must not contain {TenantSeed.IssuerKeyword}: the Management API is built in.");
            }

            var scopes = new HashSet<string>(StringComparer.Ordinal);
            for (var j = 0; j < api.Scopes.Count; j++)
            {
                var value = api.Scopes[j]?.Value;
                if (string.IsNullOrWhiteSpace(value) || value.Any(char.IsWhiteSpace))
                {
                    Fail($"{at}.scopes[{j}].value", "must be a non-empty scope name without spaces.");
                }

                if (!scopes.Add(value!))
                {
                    Fail($"{at}.scopes[{j}].value", $"'{value}' is defined twice.");
                }
            }

            if (!apis.TryAdd(api.Identifier, scopes))
            {
                Fail($"{at}.identifier", $"'{api.Identifier}' is defined twice.");
            }
        }

        bool IsAudience(string audience) => audience == TenantSeed.ManagementAudience || apis.ContainsKey(audience);

        void CheckScopes(string audience, IReadOnlyList<string> scope, string at)
        {
            for (var j = 0; j < scope.Count; j++)
            {
                if (string.IsNullOrWhiteSpace(scope[j]))
                {
                    Fail($"{at}[{j}]", "must not be empty.");
                }

                if (apis.TryGetValue(audience, out var defined) && !defined.Contains(scope[j]))
                {
                    Fail($"{at}[{j}]", $"'{scope[j]}' is not a scope of the API '{audience}'.");
                }
            }
        }

        if (seed.DefaultAudience is { } defaultAudience && !IsAudience(defaultAudience))
        {
            Fail("default_audience", $"'{defaultAudience}' is not one of resource_servers.");
        }

        var clients = new Dictionary<string, SeedClient>(StringComparer.Ordinal);
        for (var i = 0; i < seed.Clients.Count; i++)
        {
            var client = seed.Clients[i];
            var at = $"clients[{i}]";
            if (string.IsNullOrWhiteSpace(client.ClientId))
            {
                Fail($"{at}.client_id", "must not be empty.");
            }

            if (!clients.TryAdd(client.ClientId, client))
            {
                Fail($"{at}.client_id", $"'{client.ClientId}' is defined twice.");
            }

            if (client.ClientSecret is { Length: 0 })
            {
                Fail($"{at}.client_secret", "must be left out for a public client, not empty.");
            }

            foreach (var grantType in client.GrantTypes)
            {
                if (!GrantTypes.Contains(grantType))
                {
                    Fail($"{at}.grant_types", $"contains '{grantType}'; known: {string.Join(", ", GrantTypes)}.");
                }
            }

            if (client.GrantTypes.Contains("client_credentials") && client.ClientSecret is null)
            {
                Fail($"{at}.client_secret", "is required for the client_credentials grant.");
            }

            foreach (var (key, value) in client.ClientMetadata)
            {
                if (value is null)
                {
                    Fail($"{at}.client_metadata.{key}", "must be a string.");
                }
            }
        }

        var grantIds = new HashSet<string>(StringComparer.Ordinal);
        var grantPairs = new HashSet<(string, string)>();
        for (var i = 0; i < seed.ClientGrants.Count; i++)
        {
            var grant = seed.ClientGrants[i];
            var at = $"client_grants[{i}]";
            if (!clients.ContainsKey(grant.ClientId))
            {
                Fail($"{at}.client_id", $"'{grant.ClientId}' is not one of clients.");
            }

            if (!IsAudience(grant.Audience))
            {
                Fail($"{at}.audience", $"'{grant.Audience}' is neither one of resource_servers nor {TenantSeed.ManagementAudience}.");
            }

            if (grant.Id is { } id && !grantIds.Add(id))
            {
                Fail($"{at}.id", $"'{id}' is used twice.");
            }

            if (!grantPairs.Add((grant.ClientId, grant.Audience)))
            {
                Fail(at, $"is a second grant of '{grant.ClientId}' for '{grant.Audience}'.");
            }

            CheckScopes(grant.Audience, grant.Scope, $"{at}.scope");
        }

        var users = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < seed.Users.Count; i++)
        {
            var user = seed.Users[i];
            var at = $"users[{i}]";
            if (string.IsNullOrWhiteSpace(user.UserId))
            {
                Fail($"{at}.user_id", "must not be empty.");
            }

            if (!users.Add(user.UserId))
            {
                Fail($"{at}.user_id", $"'{user.UserId}' is defined twice.");
            }

            for (var j = 0; j < user.Permissions.Count; j++)
            {
                var permission = user.Permissions[j];
                if (!apis.TryGetValue(permission.ResourceServerIdentifier, out var scopes))
                {
                    Fail($"{at}.permissions[{j}].resource_server_identifier", $"'{permission.ResourceServerIdentifier}' is not one of resource_servers.");
                }
                else if (!scopes.Contains(permission.PermissionName))
                {
                    Fail($"{at}.permissions[{j}].permission_name", $"'{permission.PermissionName}' is not a scope of '{permission.ResourceServerIdentifier}'.");
                }
            }
        }

        var tokens = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < seed.RefreshTokens.Count; i++)
        {
            var token = seed.RefreshTokens[i];
            var at = $"refresh_tokens[{i}]";
            if (string.IsNullOrWhiteSpace(token.Token) || !tokens.Add(token.Token))
            {
                Fail($"{at}.token", "must be non-empty and unique.");
            }

            if (!users.Contains(token.UserId))
            {
                Fail($"{at}.user_id", $"'{token.UserId}' is not one of users.");
            }

            if (!clients.TryGetValue(token.ClientId, out var client))
            {
                Fail($"{at}.client_id", $"'{token.ClientId}' is not one of clients.");
            }
            else if (!client.GrantTypes.Contains("refresh_token"))
            {
                Fail($"{at}.client_id", $"'{token.ClientId}' does not list refresh_token in its grant_types.");
            }

            var audience = token.Audience ?? seed.DefaultAudience;
            if (audience is null || !apis.ContainsKey(audience))
            {
                Fail($"{at}.audience", $"'{audience ?? "(missing, and no default_audience)"}' is not one of resource_servers.");
            }
            else if (token.Scope is { } scope)
            {
                CheckScopes(audience, [.. scope.Where(s => !TokenScopes.IsOidc(s))], $"{at}.scope");
            }
        }

        foreach (var (trigger, names) in seed.ActionBindings)
        {
            if (!Triggers.Contains(trigger))
            {
                Fail($"action_bindings.{trigger}", $"is not a supported trigger; supported: {string.Join(", ", Triggers)}.");
            }

            foreach (var name in names)
            {
                if (string.IsNullOrWhiteSpace(name) || name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || name.StartsWith('.'))
                {
                    Fail($"action_bindings.{trigger}", $"contains '{name}', which is not the name of a folder under actions/.");
                }
            }
        }

        foreach (var (name, value) in seed.ActionSecrets)
        {
            if (value is null)
            {
                Fail($"action_secrets.{name}", "must be a string.");
            }
        }
    }
}
