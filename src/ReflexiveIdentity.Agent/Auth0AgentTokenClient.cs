using System.Text.Json;

namespace ReflexiveIdentity.Omega;

/// <summary>
/// Gets agent_omega's tokens from Auth0's <c>/oauth/token</c> with the refresh-token grant. The rationale
/// rides in the request body, where the post-login Action reads it (<c>event.request.body.rationale</c>).
/// </summary>
public sealed class Auth0AgentTokenClient(HttpClient http, Uri authority, string audience, AgentOmegaOptions options) : IAgentTokenClient
{
    /// <inheritdoc />
    public async Task<AgentTokenResponse> RequestAsync(IReadOnlyList<string> scopes, string? rationaleJson, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = options.ClientId,
            ["refresh_token"] = options.RefreshToken,
            ["audience"] = audience,
            ["scope"] = string.Join(' ', scopes),
        };
        if (options.ClientSecret.Length > 0)
        {
            form["client_secret"] = options.ClientSecret;
        }

        if (rationaleJson is not null)
        {
            form["rationale"] = rationaleJson;
        }

        using var content = new FormUrlEncodedContent(form);
        using var response = await http.PostAsync(new Uri(authority, "oauth/token"), content, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return new AgentTokenResponse(null, $"http_{(int)response.StatusCode}", "The token endpoint did not answer with JSON.");
        }

        using (document)
        {
            return Read(document.RootElement, response.IsSuccessStatusCode, (int)response.StatusCode);
        }
    }

    private static AgentTokenResponse Read(JsonElement body, bool success, int status)
    {
        if (success && body.ValueKind == JsonValueKind.Object && body.TryGetProperty("access_token", out var token) && token.GetString() is { Length: > 0 } accessToken)
        {
            return new AgentTokenResponse(accessToken, null, null);
        }

        return new AgentTokenResponse(
            null,
            body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error", out var error) ? error.GetString() : $"http_{status}",
            body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error_description", out var description) ? description.GetString() : null);
    }
}
