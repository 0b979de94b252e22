using System.Text.Json;
using System.Text.Json.Serialization;
using Billing.Grains.Journal;

namespace Billing.Journal;

/// <summary>How effects are stored (jsonb, snake_case, nulls left out): readable in SQL for audits.</summary>
public static class JournalJson
{
    /// <summary>The JSON of <paramref name="effects"/>.</summary>
    public static string Serialize(JournalEffects effects) => JsonSerializer.Serialize(effects, EffectsJsonContext.Default.JournalEffects);

    /// <summary>
    /// What the history needs of the effects in <paramref name="json"/>: read into a plain class (System.Text.Json's fast
    /// path, measured at a third of the cost of the full record's constructor-based read), skipping the fan-out.
    /// </summary>
    public static HistoryEntry History(string json, long version, string eventId, string type, JournalSource source,
        DateTimeOffset? created, DateTimeOffset recordedAt)
    {
        var summary = JsonSerializer.Deserialize(json, EffectsJsonContext.Default.EffectsSummary) ?? throw new JsonException("effects are null");
        return new HistoryEntry(version, eventId, type, source, created, recordedAt, summary.Changed, summary.Access,
            summary.Features, summary.Version, summary.UpdatedAt);
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
[JsonSerializable(typeof(EffectsSummary))]
internal sealed partial class EffectsJsonContext : JsonSerializerContext;

/// <summary>The part of <see cref="JournalEffects"/> the history reads.</summary>
internal sealed class EffectsSummary
{
    public Grains.Customers.AccessState Access { get; set; }

    public string[] Features { get; set; } = [];

    public long Version { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public bool Changed { get; set; }
}
