using OpenTelemetry.Trace;

namespace Billing.ServiceDefaults;

/// <summary>
/// What every host traces, in one place so that tests collect exactly what production exports. Billing's own spans
/// (<c>stripe.webhook</c>, <c>billing.apply</c>, <c>billing.journal.append</c>, <c>billing.fanout.deliver</c>), the
/// application's grain calls and grain storage, ASP.NET Core (not the health probes) and HttpClient (the outbound
/// POSTs, each retry its own span). Not <c>Microsoft.Orleans.Runtime</c>: it traces Orleans' own calls, and the
/// stream agents' queue polling alone starts dozens of root traces per second that belong to no event; the
/// fan-out carries its trace context in each item instead (see docs/adr/0011).
/// </summary>
public static class BillingTracing
{
    /// <summary>The Orleans sources traced: application grain calls and grain storage.</summary>
    public static readonly string[] OrleansSources = ["Microsoft.Orleans.Application", "Microsoft.Orleans.Storage"];

    /// <summary>Adds Billing's sources and instrumentations to <paramref name="tracing"/>.</summary>
    public static TracerProviderBuilder AddBillingTracing(this TracerProviderBuilder tracing)
    {
        ArgumentNullException.ThrowIfNull(tracing);
        return tracing
            .AddSource(BillingTelemetry.ActivitySourceName)
            .AddSource(OrleansSources)
            .AddAspNetCoreInstrumentation(o => o.Filter = context =>
                !context.Request.Path.StartsWithSegments("/healthz") &&
                !context.Request.Path.StartsWithSegments("/readyz"))
            .AddHttpClientInstrumentation(o => o.EnrichWithHttpRequestMessage = RedactOutboundUrl);
    }

    /// <summary>
    /// The request option an outbound delivery sets (<c>Billing.Outbound.OutboundDelivery</c>): its span shows the
    /// endpoint's scheme and host only, as its logs do, since the path or query may carry the receiver's token.
    /// </summary>
    public const string RedactUrlOption = "billing.redact_url";

    private static readonly HttpRequestOptionsKey<bool> RedactUrl = new(RedactUrlOption);

    private static void RedactOutboundUrl(System.Diagnostics.Activity activity, HttpRequestMessage request)
    {
        if (request.Options.TryGetValue(RedactUrl, out var redact) && redact && request.RequestUri is { IsAbsoluteUri: true } uri)
        {
            activity.SetTag("url.full", $"{uri.Scheme}://{uri.Authority}");
        }
    }
}
