using System.Text.Json;

namespace Billing.StripeEvents;

/// <summary>Tolerant reads of one field of a Stripe object: a field that is absent or of another JSON kind is null.</summary>
internal static class JsonFields
{
    public static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static long? Int64(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number &&
        value.TryGetInt64(out var number) ? number : null;

    // An id field may hold the id, or (when expanded) the object itself.
    public static string? IdOf(JsonElement element, string name) =>
        !element.TryGetProperty(name, out var value) ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : value.ValueKind == JsonValueKind.Object ? String(value, "id")
        : null;

    public static bool TryObject(JsonElement element, string name, out JsonElement value) =>
        element.TryGetProperty(name, out value) && value.ValueKind == JsonValueKind.Object;

    /// <summary>The field is present and JSON <c>null</c>.</summary>
    public static bool IsNull(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Null;

    /// <summary>The field is present with a value (an id, or an expanded object).</summary>
    public static bool HasValue(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Object;
}
