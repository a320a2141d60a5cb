namespace ReflexiveIdentity.EndToEnd.Tests;

/// <summary>Finds the repository root from the test's output folder.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ReflexiveIdentity.Functions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No ReflexiveIdentity.Functions.sln above {AppContext.BaseDirectory}.");
    }
}
