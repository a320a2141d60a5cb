using System.Reflection;
using System.Security.Cryptography;

namespace ReflexiveIdentity.Http.Dashboard;

/// <summary>
/// The dashboard's page, stylesheet and script, embedded in this assembly (no CDN, no external fonts),
/// each with its content type and a strong ETag over its bytes.
/// </summary>
public sealed class DashboardAssets
{
    /// <summary>The page's file name.</summary>
    public const string Page = "dashboard.html";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [Page] = "text/html; charset=utf-8",
        ["dashboard.css"] = "text/css; charset=utf-8",
        ["dashboard.js"] = "text/javascript; charset=utf-8",
    };

    private readonly Dictionary<string, DashboardAsset> assets;

    public DashboardAssets()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        assets = ContentTypes.ToDictionary(pair => pair.Key, pair => Load(assembly, pair.Key, pair.Value), StringComparer.Ordinal);
    }

    /// <summary>The asset named <paramref name="name"/> (a file name such as <c>dashboard.js</c>), or null.</summary>
    public DashboardAsset? Find(string name) => assets.GetValueOrDefault(name);

    private static DashboardAsset Load(Assembly assembly, string name, string contentType)
    {
        var resource = $"ReflexiveIdentity.Http.Dashboard.{name}";
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The dashboard asset {resource} is missing from the assembly.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        return new DashboardAsset(name, contentType, bytes, $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..32]}\"");
    }
}

/// <summary>One embedded dashboard file.</summary>
public sealed record DashboardAsset(string Name, string ContentType, ReadOnlyMemory<byte> Content, string ETag);
