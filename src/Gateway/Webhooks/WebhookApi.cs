using System.Buffers;
using System.Diagnostics;
using System.Text;
using Billing.Gateway.Anomalies;
using Billing.Gateway.Cluster;
using Billing.Insights;
using Billing.Grains.Customers;
using Billing.ServiceDefaults;
using Billing.StripeEvents;
using Microsoft.Extensions.Options;

namespace Billing.Gateway.Webhooks;

/// <summary><c>POST /stripe/webhook</c>: verify, read, hand to the customer's grain, answer once it is stored.</summary>
public static partial class WebhookApi
{
    /// <summary>The largest body accepted; Stripe's events are far smaller.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Maps the webhook route.</summary>
    public static IEndpointRouteBuilder MapWebhookApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/stripe/webhook", HandleAsync)
            .WithName("StripeWebhook")
            .DisableAntiforgery();
        return routes;
    }

    private static async Task<IResult> HandleAsync(
        HttpContext context,
        StripeSignatureVerifier verifier,
        CustomerEventDispatcher dispatcher,
        AnomalySignalForwarder anomalySignals,
        IOptionsMonitor<StripeOptions> stripeOptions,
        BillingTelemetry telemetry,
        ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger(typeof(WebhookApi));
        var started = Stopwatch.GetTimestamp();

        var body = await ReadBodyAsync(context.Request, context.RequestAborted);
        if (body is null)
        {
            return Reject(telemetry, started, StatusCodes.Status413PayloadTooLarge, "too_large", $"body larger than {MaxBodyBytes} bytes");
        }

        var payload = Encoding.UTF8.GetString(body.Value.Span);
        if (verifier.Verify(payload, context.Request.Headers["Stripe-Signature"]) is { } signatureFailure)
        {
            LogRefused(logger, "signature", signatureFailure);
            return Reject(telemetry, started, StatusCodes.Status400BadRequest, "signature", signatureFailure);
        }

        var envelope = StripeEnvelopeReader.Read(body.Value);
        if (envelope.Error is { } error)
        {
            LogRefused(logger, "malformed", error);
            return Reject(telemetry, started, StatusCodes.Status400BadRequest, "malformed", error);
        }

        telemetry.WebhookReceived();
        using var activity = telemetry.ActivitySource.StartActivity("stripe.webhook");
        activity?.SetTag("stripe.event.id", envelope.EventId);
        activity?.SetTag("stripe.event.type", envelope.Event?.Type);

        var status = ApplyStatus.Ignored;
        var otherMode = stripeOptions.CurrentValue.Livemode is { } livemode && livemode != envelope.Livemode;
        if (otherMode)
        {
            LogIgnoredMode(logger, envelope.EventId!, envelope.Livemode);
        }
        else if (envelope is { Event: { } stripeEvent, CustomerKey: { } customerKey })
        {
            try
            {
                status = await dispatcher.ApplyAsync(customerKey, stripeEvent, context.RequestAborted);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
            {
                // Not stored: Stripe retries a non-2xx answer, so nothing is lost. The slowest answers are these: they
                // count in the latency histogram like any other.
                var errorType = exception.GetType().FullName ?? exception.GetType().Name;
                telemetry.RecordWebhook("failed", Stopwatch.GetElapsedTime(started), errorType);
                LogNotStored(logger, exception, envelope.EventId!);
                activity?.SetStatus(ActivityStatusCode.Error, errorType);
                activity?.SetTag(BillingTelemetry.OutcomeAttribute, "failed");
                return Results.Json(new WebhookError("unavailable", "the event could not be stored now; retry"),
                    WebhookJsonContext.Default.WebhookError, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }

        // After the answer is settled and off its path: the account's detector counts the event (ADR 0012). Read again
        // only for the few types that carry a signal; a redelivery is counted once (the detector dedupes by id).
        if (!otherMode && StripeSignalReader.Reads(envelope.Type) && StripeSignalReader.Read(body.Value) is { } signal)
        {
            anomalySignals.Offer(signal);
        }

        telemetry.RecordWebhook(StatusName(status), Stopwatch.GetElapsedTime(started));
        activity?.SetTag(BillingTelemetry.OutcomeAttribute, StatusName(status));

        return Results.Json(new WebhookAnswer(envelope.EventId!, StatusName(status)), WebhookJsonContext.Default.WebhookAnswer);
    }

    private static string StatusName(ApplyStatus status) => status switch
    {
        ApplyStatus.Applied => "applied",
        ApplyStatus.Duplicate => "duplicate",
        _ => "ignored",
    };

    private static IResult Reject(BillingTelemetry telemetry, long started, int statusCode, string reason, string message)
    {
        telemetry.RecordWebhook("rejected", Stopwatch.GetElapsedTime(started), errorType: reason);
        return Results.Json(new WebhookError(reason, message), WebhookJsonContext.Default.WebhookError, statusCode: statusCode);
    }

    // Reads the raw body once, as bytes: the signature covers exactly these bytes. Null when over the limit.
    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>((int)(request.ContentLength ?? 16 * 1024) + 1);
        while (true)
        {
            var memory = buffer.GetMemory(16 * 1024);
            var read = await request.Body.ReadAsync(memory, cancellationToken);
            if (read == 0)
            {
                return buffer.WrittenMemory;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > MaxBodyBytes)
            {
                return null;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a webhook ({Reason}): {Detail}")]
    private static partial void LogRefused(ILogger logger, string reason, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ignored event {EventId}: livemode {Livemode} is not this gateway's mode")]
    private static partial void LogIgnoredMode(ILogger logger, string eventId, bool livemode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} could not be stored now; answering 503 so Stripe retries")]
    private static partial void LogNotStored(ILogger logger, Exception exception, string eventId);
}
