namespace Billing.Outbound;

/// <summary>A dead letter about to be stored (see <see cref="DeadLetter"/> for the fields).</summary>
public sealed record NewDeadLetter(
    string MessageId,
    string MessageType,
    OutboundTarget Target,
    string CustomerId,
    string Endpoint,
    string Body,
    int? StatusCode,
    string Error);
