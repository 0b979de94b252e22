using System.Text.Json;
using System.Text.Json.Serialization;
using Billing.Grains.Recovery;

namespace Billing.Recovery.Store;

/// <summary>The JSON of counts and drift sides in the database (snake_case, as the admin API shows them).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SyncCounts))]
[JsonSerializable(typeof(DriftSide))]
internal sealed partial class SyncJson : JsonSerializerContext
{
    public static string Write(SyncCounts counts) => JsonSerializer.Serialize(counts, Default.SyncCounts);

    public static string Write(DriftSide side) => JsonSerializer.Serialize(side, Default.DriftSide);

    public static SyncCounts ReadCounts(string json) => JsonSerializer.Deserialize(json, Default.SyncCounts) ?? new SyncCounts();

    public static DriftSide ReadSide(string json) =>
        JsonSerializer.Deserialize(json, Default.DriftSide) ?? throw new JsonException("a drift side is null");
}
