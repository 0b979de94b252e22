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
[JsonSerializable(typeof(JobsView))]
[JsonSerializable(typeof(JobView))]
[JsonSerializable(typeof(DriftView))]
[JsonSerializable(typeof(BackfillRequest))]
[JsonSerializable(typeof(EventReplayView))]
[JsonSerializable(typeof(AnomaliesView))]
[JsonSerializable(typeof(AnomalyView))]
[JsonSerializable(typeof(string))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
