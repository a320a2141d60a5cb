using System.CommandLine;

namespace ReflexiveIdentity.Cli.Commands;

/// <summary>Options every command understands.</summary>
internal static class CommonOptions
{
    public static readonly Option<FileInfo?> Settings = new("--settings")
    {
        Description = "A local.settings.json whose \"Values\" supply settings (environment variables still win).",
        Recursive = true,
    };
}
