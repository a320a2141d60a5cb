using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace ReflexiveIdentity.Omega.Dataset;

/// <summary>
/// Streams a JSON Lines operational log (one object per line: <c>timestamp</c>, <c>service</c>, <c>level</c>,
/// <c>status</c>, <c>latency_ms</c>, <c>message</c>) as <see cref="LogRecord"/>s, a buffer at a time: the file is
/// never held whole. A line that is not such an object (bad JSON, a missing or mistyped field, longer than
/// <see cref="MaxLineBytes"/>) is counted in <see cref="MalformedLines"/> and skipped; the first few line numbers are
/// kept for the report. Blank lines are ignored. The counters accumulate over every dataset this reader reads.
/// </summary>
public sealed class LogDatasetReader
{
    /// <summary>The longest line read; longer ones are malformed.</summary>
    public const int DefaultMaxLineBytes = 1 << 20;

    /// <summary>How many malformed line numbers are kept.</summary>
    public const int KeptMalformedLineNumbers = 5;

    private const int InitialBufferBytes = 64 * 1024;

    /// <summary>Service names are few: one string per name, not one per line. Bounded so a hostile file cannot grow it.</summary>
    private const int MaxInternedNames = 1024;

    private readonly List<long> firstMalformedLines = [];
    private readonly Dictionary<string, string> names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> nameLookup;

    /// <param name="maxLineBytes">Longer lines are malformed.</param>
    /// <param name="messages">
    /// <see cref="LogMessages.ErrorsOnly"/> reads the message of error records only and leaves the others'
    /// <see cref="LogRecord.Message"/> empty: the aggregate needs no more, and a million lines then allocate next to nothing.
    /// </param>
    public LogDatasetReader(int maxLineBytes = DefaultMaxLineBytes, LogMessages messages = LogMessages.All)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 256);
        MaxLineBytes = maxLineBytes;
        Messages = messages;
        nameLookup = names.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int MaxLineBytes { get; }

    public LogMessages Messages { get; }

    /// <summary>Non-blank lines read, well-formed or not.</summary>
    public long LinesRead { get; private set; }

    /// <summary>Lines skipped because they were not a valid log record.</summary>
    public long MalformedLines { get; private set; }

    /// <summary>The 1-based numbers of the first <see cref="KeptMalformedLineNumbers"/> malformed lines.</summary>
    public IReadOnlyList<long> FirstMalformedLines => firstMalformedLines;

    /// <summary>Opens a dataset file for streaming; a missing file is a <see cref="FileNotFoundException"/> that names the path.</summary>
    public static FileStream OpenFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"The dataset {Path.GetFullPath(path)} does not exist.", path, ex);
        }
    }

    /// <summary>Streams the records of the dataset file at <paramref name="path"/>.</summary>
    public async IAsyncEnumerable<LogRecord> ReadAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stream = OpenFile(path);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var record in ReadAsync(stream, cancellationToken).ConfigureAwait(false))
            {
                yield return record;
            }
        }
    }

    /// <summary>Streams the records of <paramref name="stream"/> (UTF-8, LF or CRLF line ends); the stream is not disposed.</summary>
    public async IAsyncEnumerable<LogRecord> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var lines = new LineWindow(InitialBufferBytes);
        try
        {
            while (true)
            {
                while (lines.TryTakeLine(out var start, out var length, out var overlong))
                {
                    if (TryRead(lines, start, length, overlong, out var record))
                    {
                        yield return record;
                    }
                }

                lines.MakeRoom(MaxLineBytes);
                var read = await stream.ReadAsync(lines.FreeSpace, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    if (lines.TryTakeLastLine(out var start, out var length, out var overlong) && TryRead(lines, start, length, overlong, out var record))
                    {
                        yield return record;
                    }

                    yield break;
                }

                lines.Filled(read);
            }
        }
        finally
        {
            lines.Dispose();
        }
    }

    private bool TryRead(LineWindow lines, int start, int length, bool overlong, out LogRecord record)
    {
        record = default;
        overlong |= length > MaxLineBytes;
        var line = overlong ? default : Trim(lines.Bytes(start, length), lines.LineNumber == 1);
        if (!overlong && line.IsEmpty)
        {
            return false;
        }

        LinesRead++;
        if (!overlong && TryParse(line, out record))
        {
            return true;
        }

        MalformedLines++;
        if (firstMalformedLines.Count < KeptMalformedLineNumbers)
        {
            firstMalformedLines.Add(lines.LineNumber);
        }

        return false;
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> line, bool first)
    {
        if (first && line.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            line = line[3..];
        }

        return line.Trim((ReadOnlySpan<byte>)[(byte)' ', (byte)'\t', (byte)'\r']);
    }

    private bool TryParse(ReadOnlySpan<byte> line, out LogRecord record)
    {
        record = default;
        var json = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 16 });
        DateTimeOffset timestamp = default;
        string? service = null;
        var messageAt = -1;
        LogSeverity? level = null;
        int? status = null;
        double? latency = null;
        try
        {
            if (!json.Read() || json.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            var seenTimestamp = false;
            while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
            {
                if (json.ValueTextEquals("timestamp"u8))
                {
                    if (!json.Read() || json.TokenType != JsonTokenType.String || !json.TryGetDateTimeOffset(out timestamp))
                    {
                        return false;
                    }

                    seenTimestamp = true;
                }
                else if (json.ValueTextEquals("service"u8))
                {
                    if (!json.Read() || json.TokenType != JsonTokenType.String || (service = Name(ref json)).Length == 0)
                    {
                        return false;
                    }
                }
                else if (json.ValueTextEquals("level"u8))
                {
                    if (!json.Read() || json.TokenType != JsonTokenType.String || (level = Severity(ref json)) is null)
                    {
                        return false;
                    }
                }
                else if (json.ValueTextEquals("status"u8))
                {
                    if (!json.Read() || json.TokenType != JsonTokenType.Number || !json.TryGetInt32(out var code) || code is < 100 or > 999)
                    {
                        return false;
                    }

                    status = code;
                }
                else if (json.ValueTextEquals("latency_ms"u8))
                {
                    if (!json.Read() || json.TokenType != JsonTokenType.Number || !json.TryGetDouble(out var ms) || !double.IsFinite(ms) || ms < 0)
                    {
                        return false;
                    }

                    latency = ms;
                }
                else if (json.ValueTextEquals("message"u8))
                {
                    if (!json.Read() || json.TokenType != JsonTokenType.String)
                    {
                        return false;
                    }

                    messageAt = (int)json.TokenStartIndex;
                }
                else
                {
                    json.Skip();
                }
            }

            if (json.TokenType != JsonTokenType.EndObject || json.Read())
            {
                return false;
            }

            if (!seenTimestamp || service is null || level is null || status is null || latency is null || messageAt < 0)
            {
                return false;
            }

            record = new LogRecord(timestamp, service, level.Value, status.Value, latency.Value, string.Empty);
            if (Messages == LogMessages.All || record.IsError)
            {
                record = record with { Message = Message(line[messageAt..]) };
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Reads the string token at the start of <paramref name="token"/>; the line has been validated whole already.</summary>
    private static string Message(ReadOnlySpan<byte> token)
    {
        var json = new Utf8JsonReader(token, isFinalBlock: false, state: default);
        json.Read();
        return json.GetString()!;
    }

    private string Name(ref Utf8JsonReader json)
    {
        const int MaxPooledNameChars = 128;
        var length = json.HasValueSequence ? json.ValueSequence.Length : json.ValueSpan.Length;
        if (length > MaxPooledNameChars)
        {
            return json.GetString()!;
        }

        Span<char> chars = stackalloc char[MaxPooledNameChars];
        var written = json.CopyString(chars);
        var name = chars[..written];
        if (nameLookup.TryGetValue(name, out var known))
        {
            return known;
        }

        var text = name.ToString();
        if (names.Count < MaxInternedNames)
        {
            names[text] = text;
        }

        return text;
    }

    private static LogSeverity? Severity(ref Utf8JsonReader json) =>
        json.ValueTextEquals("info"u8) || json.ValueTextEquals("INFO"u8) ? LogSeverity.Info
        : json.ValueTextEquals("error"u8) || json.ValueTextEquals("ERROR"u8) ? LogSeverity.Error
        : json.ValueTextEquals("warn"u8) || json.ValueTextEquals("WARN"u8) || json.ValueTextEquals("warning"u8) || json.ValueTextEquals("WARNING"u8) ? LogSeverity.Warn
        : json.ValueTextEquals("debug"u8) || json.ValueTextEquals("DEBUG"u8) ? LogSeverity.Debug
        : null;

    /// <summary>
    /// A pooled byte window over the stream: complete lines are taken from its front, reads fill its back. A line
    /// that outgrows the maximum is dropped as it streams past and reported as overlong once its end arrives.
    /// </summary>
    private sealed class LineWindow(int size) : IDisposable
    {
        private byte[] buffer = ArrayPool<byte>.Shared.Rent(size);
        private int start;
        private int end;
        private bool skipping;

        public long LineNumber { get; private set; }

        public Memory<byte> FreeSpace => buffer.AsMemory(end);

        public ReadOnlySpan<byte> Bytes(int from, int length) => buffer.AsSpan(from, length);

        public bool TryTakeLine(out int lineStart, out int length, out bool overlong)
        {
            var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (newline < 0)
            {
                lineStart = length = 0;
                overlong = false;
                return false;
            }

            LineNumber++;
            lineStart = start;
            length = newline;
            overlong = skipping;
            skipping = false;
            start += newline + 1;
            return true;
        }

        public bool TryTakeLastLine(out int lineStart, out int length, out bool overlong)
        {
            lineStart = start;
            length = end - start;
            overlong = skipping;
            if (length == 0 && !skipping)
            {
                return false;
            }

            LineNumber++;
            start = end;
            skipping = false;
            return true;
        }

        public void MakeRoom(int maxLineBytes)
        {
            var pending = end - start;
            if (start > 0)
            {
                buffer.AsSpan(start, pending).CopyTo(buffer);
                start = 0;
                end = pending;
            }

            if (end < buffer.Length)
            {
                return;
            }

            if (buffer.Length < maxLineBytes)
            {
                var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxLineBytes));
                buffer.AsSpan(0, end).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
                return;
            }

            skipping = true;
            start = end = 0;
        }

        public void Filled(int count) => end += count;

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = [];
        }
    }
}
