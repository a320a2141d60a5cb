using ReflexiveIdentity.Http.Settings;
using ReflexiveIdentity.Policy;

namespace ReflexiveIdentity.Cli.Commands;

/// <summary>Turns the configuration errors an operator can fix into a plain message and exit code 2, not a stack trace.</summary>
internal static class CliErrors
{
    public static async Task<int> RunAsync(Func<Task<int>> command)
    {
        try
        {
            return await command().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SettingsException or PolicyValidationException or FileNotFoundException or InvalidDataException)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 2;
        }
    }
}
