using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace ReflexiveIdentity.Auth0Emulation.Actions;

/// <summary>
/// Runs the real Action code under Node: spawns <c>node runtime/run-action.js</c> with one JSON
/// object on stdin (<c>{trigger, actions, event}</c>) and reads one JSON object from stdout.
/// The process is killed after the timeout. Events carry secrets and rationales: nothing of the
/// event is ever logged.
/// </summary>
internal sealed class ActionRunner(
    ActionsLayout layout,
    string nodePath,
    TimeSpan timeout,
    TimeProvider time,
    ActionRunLog runLog,
    ILogger<ActionRunner> logger)
{
    public async Task<ActionOutcome> RunAsync(string trigger, JsonObject actionEvent, ActionRunContext context, CancellationToken cancellationToken)
    {
        var actions = layout.Bound(trigger);
        if (actions.Count == 0)
        {
            return ActionOutcome.NoActions;
        }

        var started = time.GetTimestamp();
        var outcome = await RunProcessAsync(trigger, actions, actionEvent, cancellationToken).ConfigureAwait(false);
        var elapsed = time.GetElapsedTime(started);
        runLog.Add(trigger, context, outcome, time.GetUtcNow());
        if (outcome.Failure is not null)
        {
            logger.ActionRunFailed(trigger, outcome.Failure, (long)elapsed.TotalMilliseconds);
        }
        else
        {
            logger.ActionRunCompleted(trigger, actions.Count, outcome.Denied?.Code ?? "none", (long)elapsed.TotalMilliseconds);
        }

        return outcome;
    }

    private async Task<ActionOutcome> RunProcessAsync(string trigger, IReadOnlyList<string> actions, JsonObject actionEvent, CancellationToken cancellationToken)
    {
        var input = new JsonObject
        {
            ["trigger"] = trigger,
            ["actions"] = new JsonArray([.. actions.Select(a => (JsonNode?)JsonValue.Create(a))]),
            ["event"] = actionEvent.DeepClone(),
        };

        var start = new ProcessStartInfo(nodePath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = layout.Root,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(layout.RuntimeScript);

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return ActionOutcome.Failed($"Node could not be started ('{nodePath}'): {e.Message}");
        }

        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var stdout = process.StandardOutput.ReadToEndAsync(linked.Token);
        var stderr = process.StandardError.ReadToEndAsync(linked.Token);
        try
        {
            await process.StandardInput.WriteAsync(input.ToJsonString().AsMemory(), linked.Token).ConfigureAwait(false);
            process.StandardInput.Close();
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
            var output = await stdout.ConfigureAwait(false);
            var errors = await stderr.ConfigureAwait(false);
            return Read(output, errors, process.ExitCode);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            if (deadline.IsCancellationRequested)
            {
                return ActionOutcome.Failed($"The {trigger} Actions did not finish within {timeout.TotalSeconds:0.###} s.");
            }

            cancellationToken.ThrowIfCancellationRequested();
            return ActionOutcome.Failed($"The Action runtime closed its input early: {e.Message}");
        }
        finally
        {
            Kill(process);
        }
    }

    /// <summary>Ends a runtime that is still running (timed out, or left behind by an error); a no-op once it exited.</summary>
    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited in the meantime.
        }
    }

    private static ActionOutcome Read(string output, string errors, int exitCode)
    {
        var line = LastLine(output);
        if (line is null)
        {
            // Node itself failed (a syntax error in the runtime, a missing module): its last stderr line says why.
            var reason = LastLine(errors) is { } error ? $": {error[..Math.Min(error.Length, 300)]}" : "";
            return ActionOutcome.Failed($"The Action runtime wrote nothing to stdout (exit code {exitCode}){reason}");
        }

        JsonObject result;
        try
        {
            result = JsonNode.Parse(line) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            return ActionOutcome.Failed($"The Action runtime wrote something that is not a JSON object (exit code {exitCode}).");
        }

        var logs = Strings(result["logs"]);
        if (result["ok"]?.GetValueKind() != JsonValueKind.True)
        {
            var error = result["error"]?.GetValueKind() == JsonValueKind.String ? result["error"]!.GetValue<string>() : "unknown error";
            return ActionOutcome.Failed($"An Action failed: {error}", logs);
        }

        var accessToken = result["access_token"] as JsonObject;
        return new ActionOutcome
        {
            Denied = result["denied"] is JsonObject denied
                ? new ActionDenial(Text(denied["code"]) ?? "access_denied", Text(denied["reason"]) ?? "")
                : null,
            AddedScopes = Strings(accessToken?["added_scopes"]),
            RemovedScopes = Strings(accessToken?["removed_scopes"]),
            AccessTokenClaims = accessToken?["custom_claims"]?.DeepClone() as JsonObject ?? [],
            IdTokenClaims = (result["id_token"] as JsonObject)?["custom_claims"]?.DeepClone() as JsonObject ?? [],
            AppMetadata = result["app_metadata"]?.DeepClone() as JsonObject ?? [],
            Logs = logs,
        };
    }

    private static string? LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();

    private static string? Text(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;

    private static List<string> Strings(JsonNode? node) =>
        node is JsonArray array ? [.. array.Select(Text).OfType<string>()] : [];
}
