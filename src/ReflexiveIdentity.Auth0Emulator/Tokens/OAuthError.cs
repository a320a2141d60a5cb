using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ReflexiveIdentity.Auth0Emulation.Tokens;

/// <summary>An OAuth error body as Auth0 writes it.</summary>
internal sealed record OAuthErrorBody(string Error, string ErrorDescription);

/// <summary>A refused token request: status code, OAuth error code and description.</summary>
internal sealed record OAuthError(int Status, string Error, string Description)
{
    public static OAuthError MissingParameter(string name) => new(StatusCodes.Status400BadRequest, "invalid_request", $"Missing required parameter: {name}");

    /// <summary>Auth0 answers an unknown client and a wrong secret alike, so neither can be probed.</summary>
    public static OAuthError BadClientCredentials() => new(StatusCodes.Status401Unauthorized, "access_denied", "Unauthorized");

    public static OAuthError AccessDenied(string description) => new(StatusCodes.Status403Forbidden, "access_denied", description);

    public static OAuthError InvalidRefreshToken() => new(StatusCodes.Status403Forbidden, "invalid_grant", "Unknown or invalid refresh token.");

    /// <summary>A failed or timed-out Action fails the token request, as it fails the login on Auth0.</summary>
    public static OAuthError ActionFailed() => AccessDenied("The Action could not complete, so the token was not issued.");

    /// <summary>A deny from a credentials-exchange Action keeps the Action's code.</summary>
    public static OAuthError FromCredentialsExchangeDeny(string code, string reason)
    {
        var status = code switch
        {
            "invalid_scope" or "invalid_request" => StatusCodes.Status400BadRequest,
            "server_error" => StatusCodes.Status500InternalServerError,
            _ => StatusCodes.Status403Forbidden,
        };
        return new(status, code, reason.Length > 0 ? reason : "Access denied by an Action.");
    }

    public IResult ToResult(HttpResponse response)
    {
        NoStore(response);
        return TypedResults.Json(new OAuthErrorBody(Error, Description), EmulatorJsonContext.Default.OAuthErrorBody, statusCode: Status);
    }

    public static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }

    /// <summary>Compares secrets in constant time.</summary>
    public static bool SecretsMatch(string expected, string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));
}
