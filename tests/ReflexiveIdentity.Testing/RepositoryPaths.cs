namespace ReflexiveIdentity.Testing;

/// <summary>Finds the repository root from the test's output folder.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Seed => Path.Combine(Root, "samples", "auth0-seed.json");

    public static string Actions => Path.Combine(Root, "auth0-actions");

    /// <summary>The committed sample dataset agent_omega reports on.</summary>
    public static string SampleDataset => Path.Combine(Root, "samples", "datasets", "ops-logs.jsonl");

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
