using System.Buffers;
using System.Text.Json;
using ReflexiveIdentity.Omega.Dataset;

namespace ReflexiveIdentity.Omega.Samples;

/// <summary>
/// A realistic operational log, the same for the same <see cref="LogSampleOptions"/>: five services with their own
/// traffic share and log-normal latencies with a long tail, a diurnal traffic curve (low at 03:00 UTC, high at
/// 15:00), a trickle of 4xx and 5xx, and two incidents: an error spike in <see cref="ErrorSpikeService"/> that logs
/// <see cref="ErrorSpikeMessage"/> over and over during <see cref="ErrorSpike"/>, and a latency degradation of
/// <see cref="DegradedService"/> during <see cref="LatencyDegradation"/>.
/// </summary>
public sealed class LogSampleGenerator
{
    public const string ErrorSpikeService = "payments";

    public const string ErrorSpikeMessage = "card-processor: upstream timeout after 3000 ms (circuit half-open)";

    public const string DegradedService = "search";

    /// <summary>How much slower <see cref="DegradedService"/> answers during the degradation.</summary>
    public const double DegradationFactor = 5;

    private static readonly Service[] Services =
    [
        new("search", 0.30, 45, 0.55, ["GET /api/search", "GET /api/suggest", "GET /api/search/facets"], ["search: index shard 3 unavailable", "search: query parser failed on input"]),
        new("checkout", 0.20, 120, 0.50, ["POST /api/checkout", "GET /api/cart", "PUT /api/cart/items"], ["checkout: NullReferenceException in CartMapper.ToOrder", "checkout: order service returned 502"]),
        new("auth", 0.20, 12, 0.40, ["POST /oauth/token", "GET /userinfo", "GET /.well-known/jwks.json"], ["auth: signing key cache refresh failed", "auth: session store connection reset"]),
        new("inventory", 0.18, 30, 0.45, ["GET /api/inventory/{sku}", "PUT /api/inventory/{sku}", "GET /api/inventory/low-stock"], ["inventory: deadlock detected, transaction rolled back", "inventory: replica lag above 30 s"]),
        new(ErrorSpikeService, 0.12, 180, 0.60, ["POST /api/payments/charge", "POST /api/payments/refund", "GET /api/payments/{id}"], ["payments: idempotency key conflict", "payments: ledger write failed, retrying"]),
    ];

    private static readonly int[] ClientErrors = [400, 401, 403, 404, 404, 404, 409, 429];

    private readonly LogSampleOptions options;

    public LogSampleGenerator(LogSampleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Lines);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Hours, 1);
        this.options = options;
        ErrorSpike = Window(0.55, 0.61);
        LatencyDegradation = Window(0.78, 0.86);
    }

    /// <summary>When <see cref="ErrorSpikeService"/> fails a third of its requests with <see cref="ErrorSpikeMessage"/>.</summary>
    public (DateTimeOffset From, DateTimeOffset To) ErrorSpike { get; }

    /// <summary>When <see cref="DegradedService"/> is <see cref="DegradationFactor"/> times slower.</summary>
    public (DateTimeOffset From, DateTimeOffset To) LatencyDegradation { get; }

    /// <summary>The records, in time order.</summary>
    public IEnumerable<LogRecord> Records()
    {
        var random = new Random(options.Seed);
        var weights = new double[options.Hours];
        for (var h = 0; h < weights.Length; h++)
        {
            var hourOfDay = (options.Start.Hour + h) % 24;
            weights[h] = 0.3 + (0.7 * (0.5 - (0.5 * Math.Cos(2 * Math.PI * (hourOfDay - 3) / 24))));
        }

        var total = weights.Sum();
        var cumulative = 0.0;
        long emitted = 0;
        for (var h = 0; h < weights.Length; h++)
        {
            cumulative += weights[h];
            var upTo = h == weights.Length - 1 ? options.Lines : (long)Math.Floor(options.Lines * cumulative / total);
            var inHour = upTo - emitted;
            var hourStart = options.Start.AddHours(h);
            for (long j = 0; j < inHour; j++)
            {
                var offset = TimeSpan.FromTicks((long)((j + random.NextDouble()) / inHour * TimeSpan.TicksPerHour));
                yield return Next(random, hourStart + offset);
            }

            emitted = upTo;
        }
    }

    /// <summary>Writes the records as JSON Lines (UTF-8, LF); the stream is not disposed.</summary>
    public async Task WriteAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        const int flushAt = 256 * 1024;
        var buffer = new ArrayBufferWriter<byte>(flushAt + 4096);
        using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        foreach (var record in Records())
        {
            Append(json, buffer, record);
            if (buffer.WrittenCount >= flushAt)
            {
                await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
                buffer.ResetWrittenCount();
            }
        }

        await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the records to <paramref name="path"/>, replacing it, creating its folder.</summary>
    public async Task WriteFileAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            await WriteAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void Append(Utf8JsonWriter json, ArrayBufferWriter<byte> buffer, in LogRecord record)
    {
        Span<char> timestamp = stackalloc char[32];
        record.Timestamp.UtcDateTime.TryFormat(timestamp, out var written, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        json.Reset(buffer);
        json.WriteStartObject();
        json.WriteString("timestamp"u8, timestamp[..written]);
        json.WriteString("service"u8, record.Service);
        json.WriteString("level"u8, Level(record.Level));
        json.WriteNumber("status"u8, record.Status);
        json.WriteNumber("latency_ms"u8, record.LatencyMs);
        json.WriteString("message"u8, record.Message);
        json.WriteEndObject();
        json.Flush();
        buffer.Write("\n"u8);
    }

    private static string Level(LogSeverity level) => level switch
    {
        LogSeverity.Debug => "debug",
        LogSeverity.Info => "info",
        LogSeverity.Warn => "warn",
        _ => "error",
    };

    private static bool Within((DateTimeOffset From, DateTimeOffset To) window, DateTimeOffset at) => at >= window.From && at < window.To;

    /// <summary>Standard normal by Box-Muller.</summary>
    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private (DateTimeOffset, DateTimeOffset) Window(double from, double to) =>
        (options.Start.AddHours(Math.Floor(options.Hours * from)), options.Start.AddHours(Math.Max(Math.Floor(options.Hours * from) + 1, Math.Floor(options.Hours * to))));

    private LogRecord Next(Random random, DateTimeOffset at)
    {
        var service = Pick(random);
        var route = service.Routes[random.Next(service.Routes.Length)];
        var latency = service.MedianMs * Math.Exp(service.Sigma * Gaussian(random));
        if (random.NextDouble() < 0.01)
        {
            latency *= 3 + (7 * random.NextDouble());
        }

        var degraded = service.Name == DegradedService && Within(LatencyDegradation, at);
        if (degraded)
        {
            latency *= DegradationFactor;
        }

        latency = Math.Round(latency, 1);
        var roll = random.NextDouble();
        if (service.Name == ErrorSpikeService && Within(ErrorSpike, at) && roll < 0.35)
        {
            return new LogRecord(at, service.Name, LogSeverity.Error, roll < 0.25 ? 504 : 503, Math.Round(3000 + (random.NextDouble() * 50), 1), ErrorSpikeMessage);
        }

        if (degraded && roll < 0.03)
        {
            return new LogRecord(at, service.Name, LogSeverity.Error, 504, Math.Round(2000 + (random.NextDouble() * 20), 1), "search: query timed out after 2000 ms");
        }

        if (roll < 0.004)
        {
            return new LogRecord(at, service.Name, LogSeverity.Error, random.NextDouble() < 0.7 ? 500 : 502, latency, service.Errors[random.Next(service.Errors.Length)]);
        }

        if (roll < 0.005)
        {
            return new LogRecord(at, service.Name, LogSeverity.Error, 200, latency, $"{service.Name}: unhandled exception in background job {random.Next(1000, 9999)}");
        }

        if (roll < 0.035)
        {
            var status = ClientErrors[random.Next(ClientErrors.Length)];
            return new LogRecord(at, service.Name, LogSeverity.Warn, status, latency, $"{route} -> {status}");
        }

        var ok = route.StartsWith("POST", StringComparison.Ordinal) ? 201 : 200;
        return new LogRecord(at, service.Name, roll < 0.1 ? LogSeverity.Debug : LogSeverity.Info, ok, latency, $"{route} -> {ok} in {latency:0} ms");
    }

    private static Service Pick(Random random)
    {
        var roll = random.NextDouble();
        foreach (var service in Services)
        {
            if ((roll -= service.Share) < 0)
            {
                return service;
            }
        }

        return Services[^1];
    }

    private sealed record Service(string Name, double Share, double MedianMs, double Sigma, string[] Routes, string[] Errors);
}
