using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Billing.Grains.Customers;
using Billing.Grains.Journal;

namespace Billing.Journal;

/// <summary>How effects are stored (jsonb, snake_case, nulls left out): readable in SQL for audits.</summary>
public static class JournalJson
{
    /// <summary>The JSON of <paramref name="effects"/>.</summary>
    public static string Serialize(JournalEffects effects) => JsonSerializer.Serialize(effects, EffectsJsonContext.Default.JournalEffects);

    /// <summary>
    /// What the history needs of the effects in <paramref name="json"/>: read token by token, the fan-out skipped (a
    /// page of history reads a hundred of these; the serializer's object reader cost three times as much, measured).
    /// </summary>
    public static HistoryEntry History(string json, long version, string eventId, string type, JournalSource source,
        DateTimeOffset? created, DateTimeOffset recordedAt)
    {
        ArgumentNullException.ThrowIfNull(json);
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            var reader = new Utf8JsonReader(bytes.AsSpan(0, Encoding.UTF8.GetBytes(json, bytes)));
            var (access, features, entitlementsVersion, updatedAt, changed) = (AccessState.None, Array.Empty<string>(), 0L, default(DateTimeOffset), false);
            reader.Read(); // {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueSpan;
                reader.Read();
                if (name.SequenceEqual("access"u8))
                {
                    access = Enum.Parse<AccessState>(reader.GetString()!);
                }
                else if (name.SequenceEqual("features"u8))
                {
                    var list = new List<string>();
                    while (reader.Read() && reader.TokenType == JsonTokenType.String)
                    {
                        list.Add(reader.GetString()!);
                    }

                    features = [.. list];
                }
                else if (name.SequenceEqual("version"u8))
                {
                    entitlementsVersion = reader.GetInt64();
                }
                else if (name.SequenceEqual("updated_at"u8))
                {
                    updatedAt = reader.GetDateTimeOffset();
                }
                else if (name.SequenceEqual("changed"u8))
                {
                    changed = reader.GetBoolean();
                }
                else
                {
                    reader.Skip();
                }
            }

            return new HistoryEntry(version, eventId, type, source, created, recordedAt, changed, access, features, entitlementsVersion, updatedAt);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>The effects in <paramref name="json"/>.</summary>
    /// <exception cref="JsonException">Not effects.</exception>
    public static JournalEffects Deserialize(string json) =>
        JsonSerializer.Deserialize(json, EffectsJsonContext.Default.JournalEffects) ?? throw new JsonException("effects are null");
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(JournalEffects))]
internal sealed partial class EffectsJsonContext : JsonSerializerContext;
