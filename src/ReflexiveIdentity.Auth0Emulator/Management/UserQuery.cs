using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReflexiveIdentity.Auth0Emulation.Management;

/// <summary>A query the emulator cannot read; the message says where.</summary>
internal sealed class UserQueryException(string message) : Exception(message);

/// <summary>
/// The subset of Auth0's user search (v3, Lucene syntax) the emulator understands:
/// <c>field:value</c>, <c>field:"quoted value"</c>, <c>field:prefix*</c>, <c>field:*</c>,
/// <c>_exists_:field</c>, ranges <c>field:[1 TO 5]</c> / <c>{1 TO 5}</c> (<c>*</c> open), <c>AND</c>,
/// <c>OR</c>, <c>NOT</c> / <c>-</c>, parentheses, and terms side by side meaning AND. Fields are
/// paths into the user as the Management API returns it (<c>app_metadata.agent_id</c>).
/// </summary>
internal sealed class UserQuery
{
    private readonly Func<JsonObject, bool> _match;

    private UserQuery(Func<JsonObject, bool> match) => _match = match;

    public static UserQuery All { get; } = new(_ => true);

    public bool Matches(JsonObject user) => _match(user);

    /// <exception cref="UserQueryException">The query is malformed or uses syntax the emulator lacks.</exception>
    public static UserQuery Parse(string? query)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return All;
        }

        var parser = new Parser(query);
        var match = parser.ParseOr();
        parser.SkipSpace();
        if (!parser.AtEnd)
        {
            throw new UserQueryException($"Query is malformed: unexpected '{parser.Rest}'.");
        }

        return new UserQuery(match);
    }

    private sealed class Parser(string text)
    {
        private int _at;

        public bool AtEnd => _at >= text.Length;

        public string Rest => text[_at..];

        public void SkipSpace()
        {
            while (!AtEnd && char.IsWhiteSpace(text[_at]))
            {
                _at++;
            }
        }

        public Func<JsonObject, bool> ParseOr()
        {
            var left = ParseAnd();
            while (TryKeyword("OR"))
            {
                var right = ParseAnd();
                var l = left;
                left = u => l(u) || right(u);
            }

            return left;
        }

        private Func<JsonObject, bool> ParseAnd()
        {
            var left = ParseUnary();
            while (true)
            {
                SkipSpace();
                if (AtEnd || text[_at] == ')' || PeekKeyword("OR"))
                {
                    return left;
                }

                TryKeyword("AND");
                var right = ParseUnary();
                var l = left;
                left = u => l(u) && right(u);
            }
        }

        private Func<JsonObject, bool> ParseUnary()
        {
            SkipSpace();
            if (TryKeyword("NOT") || TryChar('-'))
            {
                var inner = ParseUnary();
                return u => !inner(u);
            }

            if (TryChar('('))
            {
                var inner = ParseOr();
                SkipSpace();
                if (!TryChar(')'))
                {
                    throw new UserQueryException("Query is malformed: a '(' is not closed.");
                }

                return inner;
            }

            return ParseTerm();
        }

        private Func<JsonObject, bool> ParseTerm()
        {
            SkipSpace();
            var start = _at;
            while (!AtEnd && text[_at] != ':' && !char.IsWhiteSpace(text[_at]) && text[_at] is not ('(' or ')'))
            {
                _at++;
            }

            var field = text[start.._at];
            if (field.Length == 0 || !TryChar(':'))
            {
                throw new UserQueryException($"Query is malformed at '{text[start..]}': expected field:value (a bare word is not supported).");
            }

            if (field == "_exists_")
            {
                var path = ReadBare();
                return u => Lookup(u, path) is not null;
            }

            if (!AtEnd && text[_at] is '[' or '{')
            {
                return ParseRange(field);
            }

            if (!AtEnd && text[_at] == '"')
            {
                var quoted = ReadQuoted();
                return u => Values(Lookup(u, field)).Any(v => Equal(v, quoted));
            }

            var bare = ReadBare();
            if (bare == "*")
            {
                return u => Lookup(u, field) is not null;
            }

            if (bare.EndsWith('*'))
            {
                var prefix = bare[..^1];
                return u => Values(Lookup(u, field)).Any(v => Text(v) is { } t && t.StartsWith(prefix, StringComparison.Ordinal));
            }

            return u => Values(Lookup(u, field)).Any(v => Equal(v, bare));
        }

        private Func<JsonObject, bool> ParseRange(string field)
        {
            var inclusive = text[_at] == '[';
            _at++;
            var close = text.IndexOfAny([']', '}'], _at);
            if (close < 0)
            {
                throw new UserQueryException($"Query is malformed: the range on {field} is not closed.");
            }

            var parts = text[_at..close].Split(" TO ", StringSplitOptions.TrimEntries);
            _at = close + 1;
            if (parts.Length != 2)
            {
                throw new UserQueryException($"Query is malformed: the range on {field} must read [low TO high].");
            }

            var low = Bound(parts[0]);
            var high = Bound(parts[1]);
            return u => Values(Lookup(u, field)).Any(v =>
                v.GetValueKind() == JsonValueKind.Number
                && Number(v) is var n
                && (low is null || (inclusive ? n >= low : n > low))
                && (high is null || (inclusive ? n <= high : n < high)));
        }

        private static double? Bound(string value) =>
            value == "*" ? null
            : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n
            : throw new UserQueryException($"Query is malformed: range bound '{value}' is not a number (only numeric ranges are supported).");

        private string ReadBare()
        {
            var start = _at;
            while (!AtEnd && !char.IsWhiteSpace(text[_at]) && text[_at] != ')')
            {
                _at++;
            }

            if (_at == start)
            {
                throw new UserQueryException("Query is malformed: a value is missing after ':'.");
            }

            return text[start.._at];
        }

        private string ReadQuoted()
        {
            _at++;
            var value = new StringBuilder();
            while (!AtEnd && text[_at] != '"')
            {
                if (text[_at] == '\\' && _at + 1 < text.Length)
                {
                    _at++;
                }

                value.Append(text[_at]);
                _at++;
            }

            if (!TryChar('"'))
            {
                throw new UserQueryException("Query is malformed: a quoted value is not closed.");
            }

            return value.ToString();
        }

        private bool TryChar(char c)
        {
            if (!AtEnd && text[_at] == c)
            {
                _at++;
                return true;
            }

            return false;
        }

        private bool PeekKeyword(string keyword)
        {
            SkipSpace();
            var end = _at + keyword.Length;
            return end <= text.Length
                && string.CompareOrdinal(text, _at, keyword, 0, keyword.Length) == 0
                && (end == text.Length || char.IsWhiteSpace(text[end]) || text[end] == '(');
        }

        private bool TryKeyword(string keyword)
        {
            if (!PeekKeyword(keyword))
            {
                return false;
            }

            _at += keyword.Length;
            return true;
        }
    }

    private static JsonNode? Lookup(JsonObject user, string path)
    {
        JsonNode? node = user;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject o && o.TryGetPropertyValue(part, out var next) ? next : null;
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>An array matches when any element does, as in Auth0's search.</summary>
    private static IEnumerable<JsonNode> Values(JsonNode? node) => node switch
    {
        null => [],
        JsonArray array => array.OfType<JsonNode>(),
        _ => [node],
    };

    private static string? Text(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.String => node.GetValue<string>(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => node.ToJsonString(),
        _ => null,
    };

    // JsonValue.GetValue<double> does not convert an int-backed value, so go through the JSON text.
    private static double Number(JsonNode node) => double.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static bool Equal(JsonNode node, string value) => node.GetValueKind() switch
    {
        JsonValueKind.Number => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && Number(node) == n,
        _ => Text(node) == value,
    };
}
