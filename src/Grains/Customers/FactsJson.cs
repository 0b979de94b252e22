using System.Text.Json;
using System.Text.Json.Serialization;

namespace Billing.Grains.Customers;

/// <summary>How <see cref="EventFacts"/> are stored in the journal (snake_case, nulls left out).</summary>
public static class FactsJson
{
    /// <summary>The JSON of <paramref name="facts"/>.</summary>
    public static string Serialize(EventFacts facts) => JsonSerializer.Serialize(facts, FactsJsonContext.Default.EventFacts);

    /// <summary>
    /// A deep copy of <paramref name="state"/>: the ledger never shares the object Orleans holds as the stored snapshot,
    /// so that what Orleans would write, or hand over if the activation moved, is exactly what was stored.
    /// </summary>
    public static CustomerState Clone(CustomerState state) =>
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(state, FactsJsonContext.Default.CustomerState),
            FactsJsonContext.Default.CustomerState)!;

    /// <summary>The facts in <paramref name="json"/>.</summary>
    /// <exception cref="JsonException">Not facts.</exception>
    public static EventFacts Deserialize(string json) =>
        JsonSerializer.Deserialize(json, FactsJsonContext.Default.EventFacts) ?? throw new JsonException("facts are null");
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(EventFacts))]
[JsonSerializable(typeof(CustomerState))]
internal sealed partial class FactsJsonContext : JsonSerializerContext;
