using System.Text.Json.Serialization;

namespace Billing.Gateway.Webhooks;

/// <summary>Source-generated JSON for the webhook's answers (no reflection on the hot path).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(WebhookAnswer))]
[JsonSerializable(typeof(WebhookError))]
internal sealed partial class WebhookJsonContext : JsonSerializerContext;
