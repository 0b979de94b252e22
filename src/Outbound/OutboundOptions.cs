namespace Billing.Outbound;

/// <summary>
/// Where outbound deliveries go and how hard a single call tries. Endpoints come from
/// <c>Billing:Fulfillment:Endpoints</c> and <c>Billing:Notifications:Endpoints</c> (arrays of absolute http(s) URLs, or
/// one comma-separated value); the rest from the <c>Billing:Outbound</c> section.
/// </summary>
public sealed class OutboundOptions
{
    /// <summary>The section of the signing secret and the retry budget.</summary>
    public const string SectionName = "Billing:Outbound";

    /// <summary>The configuration key of the fulfillment endpoints.</summary>
    public const string FulfillmentEndpointsKey = "Billing:Fulfillment:Endpoints";

    /// <summary>The configuration key of the notification endpoints.</summary>
    public const string NotificationEndpointsKey = "Billing:Notifications:Endpoints";

    /// <summary>The URLs that receive <see cref="OutboundTarget.Fulfillment"/> messages.</summary>
    public string[] FulfillmentEndpoints { get; set; } = [];

    /// <summary>The URLs that receive <see cref="OutboundTarget.Notifications"/> messages.</summary>
    public string[] NotificationEndpoints { get; set; } = [];

    /// <summary>Signs every delivery (<c>Billing-Signature</c>); required when any endpoint is set.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>Attempts per endpoint within one call, the first included (1 to 10).</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The configuration key of the silo's grain-call timeout, which <see cref="TotalTimeout"/> must stay below.</summary>
    public const string ResponseTimeoutKey = "Orleans:Messaging:ResponseTimeout";

    /// <summary>Orleans' grain-call timeout as the silo sets it when <see cref="ResponseTimeoutKey"/> is not set.</summary>
    public static readonly TimeSpan DefaultResponseTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long one attempt may take until the response headers arrive.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long one call may spend on an endpoint, every attempt and backoff and the reading of a refusal's answer
    /// included. A consumer grain delivers inside its turn, so this stays below the silo's grain-call timeout
    /// (<see cref="ResponseTimeoutKey"/>, 5 s): a turn that outlived its caller's timeout would have the stream agent
    /// give up on it while the POST still runs.
    /// </summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>The base of the exponential backoff (with jitter) between attempts.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long a dead letter keeps what may identify a person: the receiver's answer, the URLs of its body (a hosted
    /// invoice URL opens a page with the customer's name, email and address) and its endpoint's path and query. After
    /// it they are removed (the silos' purge); ids, types, the status code, the endpoint's host and the times stay.
    /// </summary>
    public TimeSpan DeadLetterRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The endpoints of <paramref name="target"/>.</summary>
    public IReadOnlyList<string> EndpointsFor(OutboundTarget target) => target switch
    {
        OutboundTarget.Fulfillment => FulfillmentEndpoints,
        OutboundTarget.Notifications => NotificationEndpoints,
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, "Unknown outbound target."),
    };

    /// <summary>The configuration key of <paramref name="target"/>'s endpoints.</summary>
    public static string EndpointsKeyFor(OutboundTarget target) => target switch
    {
        OutboundTarget.Fulfillment => FulfillmentEndpointsKey,
        OutboundTarget.Notifications => NotificationEndpointsKey,
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, "Unknown outbound target."),
    };
}
