namespace Billing.Testing.Outbound;

/// <summary>What the <see cref="RecordingReceiver"/> does with one request.</summary>
public sealed record Answer(int StatusCode, bool Hang = false, string? Body = null, string? RetryAfter = null, string? Location = null,
    TimeSpan? Delay = null)
{
    /// <summary>Never answers: holds the request until the client gives up.</summary>
    public static Answer Hanging { get; } = new(0, Hang: true);

    public static Answer Status(int statusCode, string? body = null) => new(statusCode, Body: body);

    /// <summary>Answers <paramref name="statusCode"/> after <paramref name="delay"/>, unless the client gives up first.</summary>
    public static Answer Slow(TimeSpan delay, int statusCode = 200) => new(statusCode, Delay: delay);

    public static implicit operator Answer(int statusCode) => new(statusCode);
}
