using System.Text.Json.Serialization;

namespace ReflexiveIdentity.Adapters.Ledger;

/// <summary>Source-generated JSON for the few list columns of the SQLite ledger.</summary>
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class SqliteJsonContext : JsonSerializerContext;
