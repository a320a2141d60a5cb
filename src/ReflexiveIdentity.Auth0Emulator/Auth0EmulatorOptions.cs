using ReflexiveIdentity.Auth0Emulation.Seed;

namespace ReflexiveIdentity.Auth0Emulation;

/// <summary>How to build the Auth0 emulator: where it listens, what tenant it serves, how Actions run.</summary>
public sealed class Auth0EmulatorOptions
{
    /// <summary>Kestrel URLs (';'-separated). Port 0 picks a free port; read it back with <see cref="Auth0Emulator.GetIssuer"/>.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:0";

    /// <summary>The seed file; ignored when <see cref="Seed"/> is set.</summary>
    public string? SeedPath { get; set; }

    /// <summary>An already-built seed, instead of <see cref="SeedPath"/>.</summary>
    public TenantSeed? Seed { get; set; }

    /// <summary>
    /// The folder holding <c>runtime/run-action.js</c> and <c>actions/NAME/code.js</c>. Default: the
    /// nearest <c>auth0-actions</c> folder above <see cref="AppContext.BaseDirectory"/>.
    /// </summary>
    public string? ActionsRoot { get; set; }

    /// <summary>The Node executable that runs Actions.</summary>
    public string NodePath { get; set; } = "node";

    /// <summary>How long one trigger's Actions may run before they are killed and the token is denied.</summary>
    public TimeSpan ActionTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Overrides the seed's Action secrets (e.g. WEBHOOK_URL, WEBHOOK_SECRET of the service under test).</summary>
    public IDictionary<string, string> ActionSecrets { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The lifetime of issued access and ID tokens (<c>expires_in</c>).</summary>
    /// <summary>Adjusts the emulator's logging (e.g. quieter, or to standard error when stdout carries output).</summary>
    public Action<Microsoft.Extensions.Logging.ILoggingBuilder>? ConfigureLogging { get; set; }

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The Management API's token bucket.</summary>
    public ManagementRateLimit RateLimit { get; set; } = new();

    /// <summary>Fault mode at start; <c>POST /emulator/faults</c> changes it at run time.</summary>
    public FaultSettings Faults { get; set; } = FaultSettings.None;

    /// <summary>The clock for tokens, the rate-limit bucket, fault latency and the Action timeout.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Urls))
        {
            throw new ArgumentException("Auth0EmulatorOptions.Urls must name at least one URL.", nameof(Urls));
        }

        if (Seed is null && string.IsNullOrWhiteSpace(SeedPath))
        {
            throw new ArgumentException("Auth0EmulatorOptions needs a SeedPath (--seed) or a Seed.", nameof(SeedPath));
        }

        if (ActionTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ActionTimeout), ActionTimeout, "Auth0EmulatorOptions.ActionTimeout must be positive.");
        }

        if (TokenLifetime < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(TokenLifetime), TokenLifetime, "Auth0EmulatorOptions.TokenLifetime must be at least one second.");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(NodePath);
        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentNullException.ThrowIfNull(RateLimit);
        ArgumentNullException.ThrowIfNull(Faults);
        RateLimit.Validate();
        Faults.Validate();
    }
}

/// <summary>The Management API's token bucket: <see cref="Capacity"/> calls at once, refilled at <see cref="RefillPerSecond"/>.</summary>
public sealed record ManagementRateLimit
{
    /// <summary>The burst size, reported as <c>x-ratelimit-limit</c>.</summary>
    public int Capacity { get; init; } = 50;

    /// <summary>Calls added back to the bucket per second.</summary>
    public double RefillPerSecond { get; init; } = 15;

    internal void Validate()
    {
        if (Capacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Capacity), Capacity, "ManagementRateLimit.Capacity must be at least 1.");
        }

        if (!(RefillPerSecond > 0) || double.IsInfinity(RefillPerSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(RefillPerSecond), RefillPerSecond, "ManagementRateLimit.RefillPerSecond must be a positive number.");
        }
    }
}

/// <summary>
/// Fault mode for the Management API (<c>/api/v2</c> only): the share of calls answered 429, the
/// share answered 500 or 503, latency added to every call, and the seed of the random sequence.
/// </summary>
public sealed record FaultSettings
{
    /// <summary>No faults, no latency.</summary>
    public static FaultSettings None { get; } = new();

    public double Rate429 { get; init; }

    public double Rate5xx { get; init; }

    public TimeSpan Latency { get; init; }

    public int Seed { get; init; }

    internal void Validate()
    {
        if (Rate429 is < 0 or > 1 || double.IsNaN(Rate429))
        {
            throw new ArgumentOutOfRangeException(nameof(Rate429), Rate429, "rate_429 must lie in [0, 1].");
        }

        if (Rate5xx is < 0 or > 1 || double.IsNaN(Rate5xx))
        {
            throw new ArgumentOutOfRangeException(nameof(Rate5xx), Rate5xx, "rate_5xx must lie in [0, 1].");
        }

        if (Rate429 + Rate5xx > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Rate5xx), Rate429 + Rate5xx, "rate_429 + rate_5xx must not exceed 1.");
        }

        if (Latency < TimeSpan.Zero || Latency > TimeSpan.FromMinutes(1))
        {
            throw new ArgumentOutOfRangeException(nameof(Latency), Latency, "latency_ms must lie in [0, 60000].");
        }
    }
}
