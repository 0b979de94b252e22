using System.Text.Json.Serialization;

namespace Billing.Gateway.Admin;

/// <summary>Source-generated JSON (snake_case) for the admin routes' answers.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(DeadLetterView[]))]
[JsonSerializable(typeof(DeadLetterView))]
[JsonSerializable(typeof(ReplayAnswer))]
[JsonSerializable(typeof(AdminError))]
[JsonSerializable(typeof(CustomerView))]
[JsonSerializable(typeof(CustomerEventsView))]
[JsonSerializable(typeof(string))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
