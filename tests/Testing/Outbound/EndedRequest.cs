namespace Billing.Testing.Outbound;

/// <summary>
/// A request the <see cref="RecordingReceiver"/> is done with: <see cref="Answered"/>, or given up by its client (a
/// timeout) at <see cref="EndedAt"/>.
/// </summary>
public sealed record EndedRequest(ReceivedDelivery Request, DateTimeOffset EndedAt, bool Answered);
