namespace ReflexiveIdentity.Auth0Emulation.Tests.Support;

/// <summary>Files of the repository the tests use: the sample seed and the real Actions.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string SampleSeed => Path.Combine(Root, "samples", "auth0-seed.json");

    public static string ActionsRoot => Path.Combine(Root, "auth0-actions");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "samples", "auth0-seed.json")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with samples/auth0-seed.json) was not found above the test binaries.");
    }
}
