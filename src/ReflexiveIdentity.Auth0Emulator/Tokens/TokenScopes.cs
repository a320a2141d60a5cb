namespace ReflexiveIdentity.Auth0Emulation.Tokens;

/// <summary>Space-separated scope strings, as OAuth writes them.</summary>
internal static class TokenScopes
{
    private static readonly HashSet<string> Oidc = new(StringComparer.Ordinal) { "openid", "profile", "email", "offline_access" };

    /// <summary>OIDC scopes are not API permissions: RBAC leaves them alone.</summary>
    public static bool IsOidc(string scope) => Oidc.Contains(scope);

    public static List<string> Split(string? scope) =>
        scope is null ? [] : [.. scope.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];

    public static string Join(IEnumerable<string> scopes) => string.Join(' ', scopes);
}
