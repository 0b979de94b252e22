namespace Billing.Testing.Outbound;

/// <summary>What the <see cref="RecordingReceiver"/> does with one request.</summary>
public sealed record Answer(int StatusCode, bool Hang = false, string? Body = null, string? RetryAfter = null, string? Location = null)
{
    /// <summary>Never answers: holds the request until the client gives up.</summary>
    public static Answer Hanging { get; } = new(0, Hang: true);

    public static Answer Status(int statusCode, string? body = null) => new(statusCode, Body: body);

    public static implicit operator Answer(int statusCode) => new(statusCode);
}
