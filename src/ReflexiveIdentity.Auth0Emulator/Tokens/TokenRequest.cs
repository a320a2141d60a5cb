using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ReflexiveIdentity.Auth0Emulation.Tokens;

/// <summary>
/// The parameters of a <c>POST /oauth/token</c>, from a form or a JSON body. A JSON body keeps its
/// values as sent (a rationale may be a string or an object); a form's are strings.
/// </summary>
internal sealed class TokenRequest
{
    /// <summary>Never shown to Actions: Auth0 does not pass credentials into <c>event.request.body</c>.</summary>
    private static readonly HashSet<string> Credentials = new(StringComparer.Ordinal)
    {
        "client_secret", "refresh_token", "client_assertion", "password", "code", "code_verifier",
    };

    private readonly JsonObject _parameters;

    private TokenRequest(JsonObject parameters, string? basicClientId, string? basicSecret)
    {
        _parameters = parameters;
        ClientId = Get("client_id") ?? basicClientId;
        ClientSecret = Get("client_secret") ?? basicSecret;
    }

    public string? ClientId { get; }

    public string? ClientSecret { get; }

    public string? GrantType => Get("grant_type");

    /// <summary>A parameter as a string; a non-string JSON value as its JSON text; null when missing or empty.</summary>
    public string? Get(string name) => _parameters[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() is { Length: > 0 } s ? s : null,
        var node => node.ToJsonString(),
    };

    /// <summary>The body for <c>event.request.body</c>, without credentials.</summary>
    public JsonObject ToActionBody()
    {
        var body = new JsonObject();
        foreach (var (name, value) in _parameters)
        {
            if (!Credentials.Contains(name))
            {
                body[name] = value?.DeepClone();
            }
        }

        return body;
    }

    public static async Task<(TokenRequest? Request, OAuthError? Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var parameters = new JsonObject();
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
            foreach (var (name, values) in form)
            {
                parameters[name] = values.Count > 0 ? values[0] : null;
            }
        }
        else if (request.HasJsonContentType())
        {
            try
            {
                parameters = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken).ConfigureAwait(false) as JsonObject
                    ?? throw new JsonException("The body is not a JSON object.");
            }
            catch (JsonException)
            {
                return (null, new OAuthError(StatusCodes.Status400BadRequest, "invalid_request", "The request body is not a valid JSON object."));
            }
        }
        else if (request.ContentLength is > 0 || request.Headers.ContentType.Count > 0)
        {
            return (null, new OAuthError(StatusCodes.Status400BadRequest, "invalid_request", "The Content-Type must be application/x-www-form-urlencoded or application/json."));
        }

        var (basicId, basicSecret) = ReadBasic(request);
        return (new TokenRequest(parameters, basicId, basicSecret), null);
    }

    /// <summary>client_secret_basic: <c>Authorization: Basic base64(urlencode(id):urlencode(secret))</c>.</summary>
    private static (string? ClientId, string? Secret) ReadBasic(HttpRequest request)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || header.Parameter is null)
        {
            return (null, null);
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0
                ? (null, null)
                : (Uri.UnescapeDataString(decoded[..colon]), Uri.UnescapeDataString(decoded[(colon + 1)..]));
        }
        catch (FormatException)
        {
            return (null, null);
        }
    }
}
