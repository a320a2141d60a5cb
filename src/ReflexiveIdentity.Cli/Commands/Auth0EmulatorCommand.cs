using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using ReflexiveIdentity.Auth0Emulation;
using ReflexiveIdentity.Cli.Hosting;

namespace ReflexiveIdentity.Cli.Commands;

/// <summary>
/// <c>reflexive auth0-emulator --urls URL --seed FILE</c>: a local Auth0 tenant that runs the real
/// Actions from <c>auth0-actions/</c>. The Actions sign webhook calls with the first of
/// <c>Webhook__SigningSecrets</c>, so an emulator and a <c>reflexive serve</c> with the same settings
/// talk to each other.
/// </summary>
internal static class Auth0EmulatorCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where the tenant listens (its issuer is this URL with a trailing slash).",
            DefaultValueFactory = _ => "http://127.0.0.1:4010",
        };
        var seed = new Option<FileInfo>("--seed")
        {
            Description = "The tenant's seed file: agents, clients, grants, refresh tokens, Action bindings.",
            DefaultValueFactory = _ => new FileInfo(Path.Combine("samples", "auth0-seed.json")),
        };
        var webhook = new Option<string?>("--webhook-url")
        {
            Description = "The WEBHOOK_URL the Actions call, e.g. http://127.0.0.1:7071/api/v1/elevations (default: the seed's).",
        };
        var actions = new Option<DirectoryInfo?>("--actions")
        {
            Description = "The auth0-actions folder (default: the nearest one above the program, or ./auth0-actions).",
        };
        var command = new Command("auth0-emulator", "Run a local Auth0 tenant (OIDC discovery, JWKS, /oauth/token with the real Actions, Management API).")
        {
            urls, seed, webhook, actions,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var configuration = LocalSettings.Build(parse.GetValue(CommonOptions.Settings));
            var options = new Auth0EmulatorOptions
            {
                Urls = parse.GetValue(urls)!,
                SeedPath = parse.GetValue(seed)!.FullName,
                ActionsRoot = parse.GetValue(actions)?.FullName ?? DefaultActionsRoot(),
            };
            var secret = (configuration["Webhook:SigningSecrets"] ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
            if (secret is not null)
            {
                options.ActionSecrets["WEBHOOK_SECRET"] = secret;
            }

            if (parse.GetValue(webhook) is { } url)
            {
                options.ActionSecrets["WEBHOOK_URL"] = url;
            }

            await using var app = Auth0Emulator.Build(options);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"Auth0 emulator: issuer {Auth0Emulator.GetIssuer(app)}  (token endpoint {Auth0Emulator.GetIssuer(app)}oauth/token)");
            Console.WriteLine($"  seed:    {options.SeedPath}");
            Console.WriteLine($"  webhook: {(options.ActionSecrets.TryGetValue("WEBHOOK_URL", out var webhookUrl) ? webhookUrl : "as in the seed")}; signing secret {(secret is null ? "as in the seed (set Webhook__SigningSecrets to match the service)" : "from Webhook__SigningSecrets")}");
            Console.WriteLine("Press Ctrl+C to stop.");
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static string? DefaultActionsRoot()
    {
        var local = Path.Combine(Directory.GetCurrentDirectory(), "auth0-actions");
        return Directory.Exists(local) ? local : null;
    }
}
