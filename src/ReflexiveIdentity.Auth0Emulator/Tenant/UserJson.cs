using System.Globalization;
using System.Text.Json.Nodes;

namespace ReflexiveIdentity.Auth0Emulation.Tenant;

/// <summary>A user as the Management API returns it.</summary>
internal static class UserJson
{
    public const string ConnectionName = "Username-Password-Authentication";

    /// <summary>Auth0 leaves out empty metadata objects, so the emulator does too.</summary>
    public static JsonObject ToJson(UserView user)
    {
        var json = new JsonObject
        {
            ["user_id"] = user.UserId,
            ["email"] = user.Email,
            ["email_verified"] = user.Email is not null,
            ["name"] = user.Name,
            ["nickname"] = user.Name,
            ["created_at"] = Timestamp(user.CreatedAt),
            ["updated_at"] = Timestamp(user.UpdatedAt),
            ["identities"] = Identities(user.UserId),
            ["logins_count"] = user.LoginsCount,
        };
        if (user.Email is null)
        {
            json.Remove("email");
            json.Remove("email_verified");
        }

        if (user.AppMetadata.Count > 0)
        {
            json["app_metadata"] = user.AppMetadata.DeepClone();
        }

        if (user.UserMetadata.Count > 0)
        {
            json["user_metadata"] = user.UserMetadata.DeepClone();
        }

        return json;
    }

    public static JsonArray Identities(string userId)
    {
        var bar = userId.IndexOf('|', StringComparison.Ordinal);
        return
        [
            new JsonObject
            {
                ["connection"] = ConnectionName,
                ["provider"] = bar > 0 ? userId[..bar] : "auth0",
                ["user_id"] = bar > 0 ? userId[(bar + 1)..] : userId,
                ["isSocial"] = false,
            },
        ];
    }

    public static string Timestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
