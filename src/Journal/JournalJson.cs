using System.Text.Json;
using System.Text.Json.Serialization;
using Billing.Grains.Journal;

namespace Billing.Journal;

/// <summary>How effects are stored (jsonb, snake_case, nulls left out): readable in SQL for audits.</summary>
public static class JournalJson
{
    /// <summary>The JSON of <paramref name="effects"/>.</summary>
    public static string Serialize(JournalEffects effects) => JsonSerializer.Serialize(effects, EffectsJsonContext.Default.JournalEffects);

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
