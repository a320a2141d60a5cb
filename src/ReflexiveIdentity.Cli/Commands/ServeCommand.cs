using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ReflexiveIdentity.Cli.Hosting;
using ReflexiveIdentity.Http.Settings;
using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Policy;

namespace ReflexiveIdentity.Cli.Commands;

/// <summary><c>reflexive serve --urls URL</c>: the service's routes on Kestrel until Ctrl+C.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen, e.g. http://127.0.0.1:7071 (port 0 picks a free port).",
            DefaultValueFactory = _ => "http://127.0.0.1:7071",
        };
        var command = new Command("serve", "Serve the webhook and admin routes on Kestrel, on the embedded SQLite ledger by default.") { urls };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var configuration = LocalSettings.Build(parse.GetValue(CommonOptions.Settings));
            await using var app = ReflexiveWebHost.Build(configuration, parse.GetValue(urls)!);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            Describe(app);
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static void Describe(WebApplication app)
    {
        var settings = app.Services.GetRequiredService<ServiceSettings>();
        var policy = app.Services.GetRequiredService<PolicyDocument>();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        app.Services.GetRequiredService<ILedger>();
        foreach (var address in addresses)
        {
            Console.WriteLine($"Reflexive Identity listening on {address}  (webhook: POST {address}/api/v1/elevations)");
            Console.WriteLine($"  dashboard: {address}/api/dashboard#token=<operator token with reflexive:admin>");
        }

        Console.WriteLine($"  ledger:  {settings.Ledger.Description}");
        Console.WriteLine($"  policy:  {settings.PolicyPath ?? "built-in policy.json"} ({policy.Scopes.Count} scopes, trust threshold {policy.TrustThreshold})");
        Console.WriteLine($"  signing: {settings.SigningSecrets.Count} secret(s) accepted");
        Console.WriteLine(settings.Auth0.IsConfigured
            ? $"  auth0:   tokens from {settings.Auth0.Authority} for {settings.Auth0.Audience}; admin routes need reflexive:admin"
            : $"  auth0:   not configured, so admin routes are off: {Auth0Settings.MissingSettingsMessage}");
        Console.WriteLine($"  reasoning: {settings.OpenAI.Description}");
        Console.WriteLine("Press Ctrl+C to stop.");
    }
}
