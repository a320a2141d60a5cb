using System.ComponentModel;
using System.Diagnostics;

namespace ReflexiveIdentity.EndToEnd.Tests;

/// <summary>
/// Runs the Auth0 Actions' own tests (<c>node --test auth0-actions/</c>) as part of <c>dotnet test</c>,
/// so one command covers both. A machine without Node fails here instead of skipping them.
/// </summary>
public sealed class AuthActionsNodeTests
{
    [Fact]
    public async Task NodeTestRunner_AuthActions_AllPass()
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--test");
        start.ArgumentList.Add("auth0-actions/");

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException("Node.js is required to test the Auth0 Actions: install Node 20 or later (`apt-get install nodejs`).", ex);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            var text = await output + await error;

            Assert.True(process.ExitCode == 0, $"node --test auth0-actions/ failed:{Environment.NewLine}{text}");
            Assert.Contains("# fail 0", text, StringComparison.Ordinal);
            Assert.DoesNotContain("# pass 0", text, StringComparison.Ordinal);
        }
    }
}
