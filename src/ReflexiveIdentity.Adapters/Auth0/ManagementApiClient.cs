using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;

namespace ReflexiveIdentity.Adapters.Auth0;

/// <summary>
/// The Auth0 Management API calls Reflexive Identity makes, one intent method each, over a typed
/// <see cref="HttpClient"/> whose base address is <c>{Authority}api/v2/</c>. The HttpClient's pipeline
/// (see <see cref="Auth0ManagementServiceCollectionExtensions.AddAuth0Management"/>) adds the token,
/// retries transient failures and times attempts out; every failure surfaces as an
/// <see cref="Auth0ApiException"/>. Every write here is idempotent, so a retried write applied by Auth0
/// before its answer was lost does no harm.
/// </summary>
public sealed class ManagementApiClient
{
    /// <summary>The largest page the Management API serves.</summary>
    public const int MaxPerPage = 100;

    /// <summary>How far Auth0's user search pages (page x per_page) can reach.</summary>
    public const int MaxSearchResults = 1000;

    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient http;
    private readonly Auth0ManagementOptions options;
    private readonly ILogger logger;

    /// <summary>Creates the client over an HttpClient configured by <c>AddAuth0Management</c>.</summary>
    public ManagementApiClient(HttpClient http, Auth0ManagementOptions options, ILogger<ManagementApiClient> logger)
    {
        this.http = http;
        this.options = options;
        this.logger = logger;
    }

    /// <summary><c>GET users/{id}</c>.</summary>
    public Task<Auth0User> GetUserAsync(string userId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "GET users/{id}", $"users/{Escape(userId)}", null, ManagementJsonContext.Default.Auth0User, cancellationToken);

    /// <summary>
    /// <c>PATCH users/{id}</c> with <c>{"app_metadata": patch}</c>: Auth0 merges the root keys of
    /// <paramref name="patch"/> into the user's <c>app_metadata</c> (a key set to <c>null</c> is deleted,
    /// nested objects are replaced whole). Returns the updated user.
    /// </summary>
    public Task<Auth0User> UpdateUserAppMetadataAsync(string userId, JsonObject patch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var body = Json(new UserAppMetadataPatch(patch), ManagementJsonContext.Default.UserAppMetadataPatch);
        return SendAsync(HttpMethod.Patch, "PATCH users/{id}", $"users/{Escape(userId)}", body, ManagementJsonContext.Default.Auth0User, cancellationToken);
    }

    /// <summary>One page of <c>GET users?q=...&amp;search_engine=v3&amp;include_totals=true</c> (Lucene query syntax; <paramref name="page"/> is zero-based).</summary>
    public Task<UserPage> SearchUsersAsync(string query, int page, int perPage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(page);
        ArgumentOutOfRangeException.ThrowIfLessThan(perPage, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(perPage, MaxPerPage);
        var path = string.Create(CultureInfo.InvariantCulture, $"users?q={Uri.EscapeDataString(query)}&search_engine=v3&include_totals=true&page={page}&per_page={perPage}");
        return SendAsync(HttpMethod.Get, "GET users", path, null, ManagementJsonContext.Default.UserPage, cancellationToken);
    }

    /// <summary>
    /// Every user matching <paramref name="query"/>, page by page, up to the first
    /// <see cref="MaxSearchResults"/> (Auth0's search window; a warning is logged when more match).
    /// </summary>
    public async IAsyncEnumerable<Auth0User> SearchAllUsersAsync(
        string query, int perPage = 50, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var seen = 0;
        var total = 0;
        for (var page = 0; (page + 1) * perPage <= MaxSearchResults; page++)
        {
            var result = await SearchUsersAsync(query, page, perPage, cancellationToken).ConfigureAwait(false);
            foreach (var user in result.Users)
            {
                yield return user;
            }

            seen = (page * perPage) + result.Users.Count;
            total = result.Total;
            if (result.Users.Count == 0 || seen >= total)
            {
                yield break;
            }
        }

        Auth0Log.SearchTruncated(logger, total, seen);
    }

    /// <summary>The user's direct permissions on every API (<c>GET users/{id}/permissions</c>, all pages).</summary>
    public async Task<IReadOnlyList<UserPermission>> GetUserPermissionsAsync(string userId, CancellationToken cancellationToken)
    {
        var all = new List<UserPermission>();
        for (var page = 0; ; page++)
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"users/{Escape(userId)}/permissions?include_totals=true&page={page}&per_page={MaxPerPage}");
            var result = await SendAsync(HttpMethod.Get, "GET users/{id}/permissions", path, null, ManagementJsonContext.Default.PermissionPage, cancellationToken).ConfigureAwait(false);
            all.AddRange(result.Permissions);
            if (result.Permissions.Count == 0 || all.Count >= result.Total)
            {
                return all;
            }
        }
    }

    /// <summary><c>POST users/{id}/permissions</c>: gives the user these permissions; ones it holds already stay as they are.</summary>
    public Task AssignUserPermissionsAsync(string userId, IReadOnlyCollection<UserPermission> permissions, CancellationToken cancellationToken) =>
        SendPermissionsAsync(HttpMethod.Post, "POST users/{id}/permissions", userId, permissions, cancellationToken);

    /// <summary><c>DELETE users/{id}/permissions</c>: takes these permissions away; ones it does not hold are ignored.</summary>
    public Task RemoveUserPermissionsAsync(string userId, IReadOnlyCollection<UserPermission> permissions, CancellationToken cancellationToken) =>
        SendPermissionsAsync(HttpMethod.Delete, "DELETE users/{id}/permissions", userId, permissions, cancellationToken);

    /// <summary>
    /// <c>PATCH clients/{id}</c> with <c>{"client_metadata": metadata}</c>: merged into the client's
    /// metadata, a <c>null</c> value deleting its key. Auth0 allows 10 keys of at most 255 characters.
    /// </summary>
    public Task<Auth0Client> UpdateClientMetadataAsync(string clientId, IReadOnlyDictionary<string, string?> metadata, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var body = Json(new ClientMetadataPatch(metadata), ManagementJsonContext.Default.ClientMetadataPatch);
        return SendAsync(HttpMethod.Patch, "PATCH clients/{id}", $"clients/{Escape(clientId)}", body, ManagementJsonContext.Default.Auth0Client, cancellationToken);
    }

    /// <summary><c>GET client-grants?client_id=&amp;audience=</c>: the client's grants for one API (none or one).</summary>
    public Task<IReadOnlyList<ClientGrant>> GetClientGrantsAsync(string clientId, string audience, CancellationToken cancellationToken)
    {
        var path = $"client-grants?client_id={Uri.EscapeDataString(clientId)}&audience={Uri.EscapeDataString(audience)}";
        return SendAsync(HttpMethod.Get, "GET client-grants", path, null, ManagementJsonContext.Default.IReadOnlyListClientGrant, cancellationToken);
    }

    /// <summary><c>PATCH client-grants/{id}</c> with <c>{"scope": [...]}</c>: replaces the grant's whole scope list.</summary>
    public Task<ClientGrant> UpdateClientGrantScopesAsync(string grantId, IReadOnlyCollection<string> scopes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        var body = Json(new ClientGrantScopePatch([.. scopes]), ManagementJsonContext.Default.ClientGrantScopePatch);
        return SendAsync(HttpMethod.Patch, "PATCH client-grants/{id}", $"client-grants/{Escape(grantId)}", body, ManagementJsonContext.Default.ClientGrant, cancellationToken);
    }

    private async Task SendPermissionsAsync(HttpMethod method, string operation, string userId, IReadOnlyCollection<UserPermission> permissions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(permissions);
        if (permissions.Count == 0)
        {
            // Auth0 rejects an empty list; nothing to change is not an error.
            return;
        }

        var body = Json(new PermissionsBody([.. permissions]), ManagementJsonContext.Default.PermissionsBody);
        using var response = await SendAsync(method, operation, $"users/{Escape(userId)}/permissions", body, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string operation, string path, HttpContent? body, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, operation, path, body, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        T? result;
        try
        {
            result = JsonSerializer.Deserialize(text, type);
        }
        catch (JsonException ex)
        {
            throw Failed(Auth0ApiErrors.Unreadable(response, operation, Describe(type), text, ex));
        }

        return result ?? throw Failed(Auth0ApiErrors.Unreadable(response, operation, Describe(type), text, null));
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string operation, string path, HttpContent? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = body };
        Auth0CallMetering.ForOperation(request, operation);
        HttpResponseMessage response;
        try
        {
            response = await Auth0Requests.SendAsync(http, request, Auth0ApiErrors.Endpoint.Management, operation, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Auth0ApiException ex)
        {
            throw Failed(ex);
        }

        Auth0Log.Called(logger, operation, (int)response.StatusCode);
        return response;
    }

    private Auth0ApiException Failed(Auth0ApiException exception)
    {
        if (exception is Auth0RateLimitException limited)
        {
            Auth0Log.RateLimitExhausted(logger, limited.Operation ?? "call", options.Retry.MaxAttempts, limited.RateLimit?.Limit, limited.RateLimit?.Remaining, limited.RateLimit?.Reset);
        }
        else
        {
            Auth0Log.Failed(logger, exception);
        }

        return exception;
    }

    private static string Describe(JsonTypeInfo type) =>
        type.ElementType is { } element ? $"list of {element.Name}" : type.Type.Name;

    private static ByteArrayContent Json<T>(T value, JsonTypeInfo<T> type)
    {
        // Bytes, not a stream: the same content is sent again on a retry or after a token refresh.
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, type));
        content.Headers.ContentType = JsonMediaType;
        return content;
    }

    private static string Escape(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return Uri.EscapeDataString(id);
    }
}
