using System.Text.RegularExpressions;

namespace ReflexiveIdentity.Omega.Sharing;

/// <summary>
/// Turns the destination string a job carries into an <see cref="IReportDestination"/>:
/// <list type="bullet">
/// <item><c>folder:PATH</c> or a plain path: <see cref="FolderDestination"/>;</item>
/// <item><c>https://...</c> (or <c>http://</c> to a loopback address): <see cref="HttpsDestination"/>;</item>
/// <item><c>blob:CONTAINER[/prefix]</c>: <see cref="BlobDestination"/> over <see cref="ReportDestinationSettings.BlobConnection"/>.</item>
/// </list>
/// Anything else is a <see cref="FormatException"/> that says which forms are understood.
/// </summary>
public static partial class ReportDestinations
{
    private const string Forms = "Use a folder path (or folder:PATH), https://host/path (http only to a loopback address), or blob:CONTAINER[/prefix].";

    public static IReportDestination Parse(string destination, ReportDestinationSettings? settings = null)
    {
        settings ??= new ReportDestinationSettings();
        var text = destination?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            throw new FormatException("The report destination is empty. " + Forms);
        }

        if (text.StartsWith("folder:", StringComparison.OrdinalIgnoreCase))
        {
            var folder = text["folder:".Length..].Trim();
            return folder.Length == 0 ? throw new FormatException("folder: needs a path, e.g. folder:reports/out.") : new FolderDestination(folder);
        }

        if (text.StartsWith("blob:", StringComparison.OrdinalIgnoreCase))
        {
            return Blob(text["blob:".Length..], settings);
        }

        if (text.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var endpoint))
            {
                throw new FormatException("The report endpoint is not a valid URI. " + Forms);
            }

            if (!HttpsDestination.IsAllowed(endpoint, out var problem))
            {
                throw new FormatException(problem);
            }

            return new HttpsDestination(endpoint, settings.HttpClient, settings.HttpsHeader);
        }

        // A scheme we do not deliver to (s3://, ftp:, mailto:); one letter before ':' is a Windows drive, a plain path.
        var scheme = SchemePattern().Match(text);
        if (scheme.Success && scheme.Groups[1].Length > 1)
        {
            throw new FormatException($"Unknown report destination form '{scheme.Groups[1].Value}:'. {Forms}");
        }

        return new FolderDestination(text);
    }

    private static BlobDestination Blob(string target, ReportDestinationSettings settings)
    {
        var slash = target.IndexOf('/', StringComparison.Ordinal);
        var container = slash < 0 ? target : target[..slash];
        var prefix = slash < 0 ? string.Empty : target[(slash + 1)..].Trim('/');
        if (!ContainerPattern().IsMatch(container))
        {
            throw new FormatException($"'{container}' is not a blob container name: 3 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.");
        }

        if (prefix.Split('/').Any(segment => segment is "." or ".." || (segment.Length == 0 && prefix.Length > 0)) || prefix.Contains('\\', StringComparison.Ordinal))
        {
            throw new FormatException($"'{prefix}' is not a usable blob prefix: segments separated by single '/', no '.' or '..', no '\\'.");
        }

        var connection = BlobConnection.Parse(settings.BlobConnection, settings.ManagedIdentityClientId);
        return new BlobDestination(connection.CreateClient().GetBlobContainerClient(container), prefix);
    }

    [GeneratedRegex("^([A-Za-z][A-Za-z0-9+.-]*):")]
    private static partial Regex SchemePattern();

    [GeneratedRegex("^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex ContainerPattern();
}
