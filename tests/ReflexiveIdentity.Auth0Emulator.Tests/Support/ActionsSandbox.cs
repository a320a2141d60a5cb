namespace ReflexiveIdentity.Auth0Emulation.Tests.Support;

/// <summary>
/// A temporary Actions folder with the repository's real runtime (<c>runtime/run-action.js</c>) and
/// small Actions written by the test, so each test controls exactly what the Action does.
/// </summary>
internal sealed class ActionsSandbox : IDisposable
{
    public ActionsSandbox()
    {
        Root = Path.Combine(Path.GetTempPath(), "auth0-emulator-tests", Guid.NewGuid().ToString("N"));
        var runtime = Path.Combine(Root, "runtime");
        Directory.CreateDirectory(runtime);
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.ActionsRoot, "runtime"), "*.js"))
        {
            File.Copy(file, Path.Combine(runtime, Path.GetFileName(file)));
        }
    }

    public string Root { get; }

    /// <summary>Writes <c>actions/NAME/code.js</c>; bind it in the seed under the same name.</summary>
    public ActionsSandbox With(string name, string code)
    {
        var folder = Path.Combine(Root, "actions", name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "code.js"), code);
        return this;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A Node process killed on timeout may still hold the folder for a moment; the temp folder is cleaned later.
        }
    }
}
