using System.Globalization;

namespace Billing.Testing.Stripe;

/// <summary>
/// One misbehaviour the stub applies to a request in place of (or, for <see cref="Slow"/>, before) its answer,
/// shaped after what Stripe and its edge really send: see <see cref="StubFaults.Enqueue"/>.
/// </summary>
public sealed class StubFault
{
    private StubFault(StubFaultKind kind, int status)
    {
        Kind = kind;
        Status = status;
    }

    /// <summary>Which misbehaviour.</summary>
    public StubFaultKind Kind { get; }

    /// <summary>The status answered (for <see cref="StubFaultKind.Slow"/>, the normal answer's status decides).</summary>
    public int Status { get; }

    /// <summary>The <c>Stripe-Rate-Limited-Reason</c> of a <see cref="StubFaultKind.RateLimited"/> fault.</summary>
    public string? RateLimitedReason { get; private init; }

    /// <summary>The <c>Stripe-Should-Retry</c> header of a <see cref="StubFaultKind.ServerError"/>, if any.</summary>
    public bool? ShouldRetry { get; private init; }

    /// <summary>How late a <see cref="StubFaultKind.Slow"/> answer is.</summary>
    public TimeSpan Delay { get; private init; }

    /// <summary>
    /// 429 with <c>Stripe-Rate-Limited-Reason: <paramref name="reason"/></c> (<c>global-rate</c>, <c>endpoint-rate</c>,
    /// <c>global-concurrency</c>, <c>endpoint-concurrency</c>, <c>resource-specific</c>) and no <c>Retry-After</c>:
    /// Stripe documents none, and Stripe.net would not read one.
    /// </summary>
    public static StubFault RateLimited(string reason = "endpoint-rate") =>
        new(StubFaultKind.RateLimited, 429) { RateLimitedReason = reason };

    /// <summary>429 with <c>code: lock_timeout</c>: another request holds the object.</summary>
    public static StubFault LockTimeout() => new(StubFaultKind.LockTimeout, 429);

    /// <summary>
    /// A JSON <c>api_error</c> with <paramref name="status"/>; <c>Stripe-Should-Retry</c> is sent only when
    /// <paramref name="shouldRetry"/> is given (Stripe.net then retries, or not, whatever the status).
    /// </summary>
    public static StubFault ServerError(int status = 500, bool? shouldRetry = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(status, 500);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(status, 599);
        return new StubFault(StubFaultKind.ServerError, status) { ShouldRetry = shouldRetry };
    }

    /// <summary>502 with an HTML body: Stripe.net cannot parse it and says "Invalid response object from API".</summary>
    public static StubFault BadGateway() => new(StubFaultKind.BadGateway, 502);

    /// <summary>The normal answer after <paramref name="delay"/>, to outlast a client's timeout.</summary>
    public static StubFault Slow(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return new StubFault(StubFaultKind.Slow, 200) { Delay = delay };
    }

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        StubFaultKind.RateLimited => $"RateLimited({RateLimitedReason})",
        StubFaultKind.ServerError => string.Create(CultureInfo.InvariantCulture, $"ServerError({Status}, shouldRetry: {ShouldRetry?.ToString() ?? "none"})"),
        StubFaultKind.Slow => string.Create(CultureInfo.InvariantCulture, $"Slow({Delay.TotalMilliseconds} ms)"),
        _ => Kind.ToString(),
    };

    /// <summary>The answer this fault puts in place of the normal one; null for <see cref="StubFaultKind.Slow"/>.</summary>
    internal StubAnswer? Answer() => Kind switch
    {
        StubFaultKind.RateLimited => RateLimitAnswer(RateLimitedReason!),
        StubFaultKind.LockTimeout => StubAnswer.Error(429, "invalid_request_error", "lock_timeout",
            "This object cannot be accessed right now because another API request or Stripe process is currently accessing it. "
            + "If you see this error intermittently, retry the request. If you see this error frequently and are making "
            + "multiple concurrent requests to a single object, make your requests serially or at a lower rate."),
        StubFaultKind.ServerError => StubAnswer.Error(Status, "api_error", null,
            "An unknown error occurred while processing your request.") with
        {
            Headers = ShouldRetry is { } retry
                ? new Dictionary<string, string> { ["Stripe-Should-Retry"] = retry ? "true" : "false" }
                : new Dictionary<string, string>(),
        },
        StubFaultKind.BadGateway => new StubAnswer(502,
            "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n",
            "text/html"),
        _ => null,
    };

    /// <summary>Stripe's 429 for a request over a rate limit.</summary>
    internal static StubAnswer RateLimitAnswer(string reason) =>
        StubAnswer.Error(429, "invalid_request_error", null,
            "Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.") with
        {
            Headers = new Dictionary<string, string> { ["Stripe-Rate-Limited-Reason"] = reason },
        };
}
