using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Billing.Grains.Risk;

/// <summary>How a row's reasons are stored (<c>billing_risk_index.reasons</c>, jsonb): snake_case, nulls left out.</summary>
internal static class RiskJson
{
    public static string Serialize(ImmutableArray<RiskReason> reasons) => JsonSerializer.Serialize([.. reasons], RiskJsonContext.Default.RiskReasonArray);

    public static ImmutableArray<RiskReason> Deserialize(string json) =>
        [.. JsonSerializer.Deserialize(json, RiskJsonContext.Default.RiskReasonArray) ?? []];
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RiskReason[]))]
internal sealed partial class RiskJsonContext : JsonSerializerContext;
