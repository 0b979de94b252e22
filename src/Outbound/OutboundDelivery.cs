using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Billing.Outbound;

/// <summary>
/// Delivers outbound messages to the configured endpoints: signed <c>POST</c>s, in-call retries of transient failures
/// (the named client's resilience pipeline), dead letters for structural refusals. Logs carry ids, types, endpoint
/// hosts and status codes, never bodies, secrets or full URLs.
/// </summary>
public sealed partial class OutboundDelivery
{
    /// <summary>The named <see cref="HttpClient"/> of deliveries, with the retry pipeline.</summary>
    public const string ClientName = "billing-outbound";

    /// <summary>The named <see cref="HttpClient"/> of replays: one attempt, no retries.</summary>
    public const string ReplayClientName = "billing-outbound-replay";

    private const int ErrorExcerptBytes = 512;
    private static readonly TimeSpan ErrorReadTimeout = TimeSpan.FromSeconds(2);
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    // Read by the hosts' HttpClient tracing (Billing.ServiceDefaults.BillingTracing.RedactUrlOption): the span of a
    // delivery shows the endpoint's scheme and host only, like the logs.
    private static readonly HttpRequestOptionsKey<bool> RedactUrl = new("billing.redact_url");

    private readonly IHttpClientFactory _httpClients;
    private readonly IOptionsMonitor<OutboundOptions> _options;
    private readonly DeadLetterStore _deadLetters;
    private readonly TimeProvider _time;
    private readonly OutboundMetrics _metrics;
    private readonly ILogger _logger;

    /// <summary>Creates the delivery service (a singleton, registered by <see cref="OutboundExtensions.AddOutbound(IServiceCollection)"/>).</summary>
    public OutboundDelivery(IHttpClientFactory httpClients, IOptionsMonitor<OutboundOptions> options, DeadLetterStore deadLetters,
        TimeProvider time, IMeterFactory meterFactory, ILogger<OutboundDelivery> logger)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _httpClients = httpClients ?? throw new ArgumentNullException(nameof(httpClients));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _deadLetters = deadLetters ?? throw new ArgumentNullException(nameof(deadLetters));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _metrics = new OutboundMetrics(meterFactory);
    }

    /// <summary>
    /// Delivers one message (its JSON body, already serialized by the caller per the contract) to every endpoint of
    /// <paramref name="target"/>, all at once. <see cref="DeliveryOutcome.Delivered"/>: every endpoint answered 2xx.
    /// <see cref="DeliveryOutcome.NotConfigured"/>: no endpoint; logged, nothing sent.
    /// <see cref="DeliveryOutcome.DeadLettered"/>: some endpoint refused it for good (a 4xx other than 408/429) and it is
    /// stored in the dead letters, never retried; the other endpoints answered 2xx.
    /// <see cref="DeliveryOutcome.RetryLater"/>: some endpoint failed transiently through the in-call retries (or a dead
    /// letter could not be stored): call again later. Every endpoint may then receive the message again: receivers
    /// deduplicate by id.
    /// </summary>
    public async Task<DeliveryOutcome> DeliverAsync(OutboundTarget target, string messageId, string messageType, string customerId,
        ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(messageType);
        ArgumentNullException.ThrowIfNull(customerId);

        var options = _options.CurrentValue;
        var endpoints = options.EndpointsFor(target);
        if (endpoints.Count == 0)
        {
            _metrics.Delivery(target, "not_configured");
            LogNotConfigured(messageId, messageType, target);
            return DeliveryOutcome.NotConfigured;
        }

        var message = new Message(target, messageId, messageType, customerId, body);
        var outcomes = await Task.WhenAll(endpoints.Select(endpoint =>
            DeliverToAsync(message, endpoint, options.SigningSecret!, cancellationToken)));

        return outcomes.Contains(DeliveryOutcome.RetryLater) ? DeliveryOutcome.RetryLater
            : outcomes.Contains(DeliveryOutcome.DeadLettered) ? DeliveryOutcome.DeadLettered
            : DeliveryOutcome.Delivered;
    }

    /// <summary>
    /// Sends dead letter <paramref name="deadLetterId"/>'s body, freshly signed, to its endpoint once (no retries, never
    /// dead-lettered again), and marks it replayed when the endpoint answers 2xx. Null when there is no such dead letter.
    /// </summary>
    public async Task<ReplayResult?> ReplayAsync(long deadLetterId, CancellationToken cancellationToken = default)
    {
        if (await _deadLetters.GetAsync(deadLetterId, cancellationToken) is not { } deadLetter)
        {
            return null;
        }

        var host = HostOf(deadLetter.Endpoint);
        if (deadLetter.PurgedAt is not null)
        {
            _metrics.Replay(ReplayStatus.Purged);
            return new ReplayResult(deadLetterId, ReplayStatus.Purged, null,
                $"purged after {OutboundOptions.SectionName}:DeadLetterRetention: its endpoint and answer are gone, nothing was sent", null);
        }

        if (_options.CurrentValue.SigningSecret is not { Length: > 0 } secret)
        {
            _metrics.Replay(ReplayStatus.NotSigned);
            LogReplayNotSigned(deadLetterId);
            return new ReplayResult(deadLetterId, ReplayStatus.NotSigned, null,
                $"{OutboundOptions.SectionName}:SigningSecret is not set on this host: nothing was sent", null);
        }

        var message = new Message(deadLetter.Target, deadLetter.MessageId, deadLetter.MessageType, deadLetter.CustomerId,
            Encoding.UTF8.GetBytes(deadLetter.Body ?? string.Empty));
        var client = _httpClients.CreateClient(ReplayClientName);
        ReplayResult result;
        try
        {
            using var request = CreateRequest(message, deadLetter.Endpoint, secret);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var statusCode = (int)response.StatusCode;
            if (DeliveryFailures.IsSuccess(statusCode))
            {
                var replayedAt = await _deadLetters.MarkReplayedAsync(deadLetterId, statusCode, cancellationToken);
                result = new ReplayResult(deadLetterId, ReplayStatus.Delivered, statusCode, null, replayedAt);
            }
            else
            {
                result = new ReplayResult(deadLetterId, ReplayStatus.Rejected, statusCode,
                    await DescribeAsync(response, ErrorReadTimeout, cancellationToken), null);
            }
        }
        catch (Exception exception) when (DeliveryFailures.IsTransient(exception, cancellationToken))
        {
            result = new ReplayResult(deadLetterId, ReplayStatus.Unreachable, null, Describe(exception), null);
        }

        _metrics.Replay(result.Status);
        LogReplayed(deadLetterId, deadLetter.MessageId, host, result.Status, result.StatusCode);
        return result;
    }

    /// <summary>
    /// Purges the dead letters older than <c>Billing:Outbound:DeadLetterRetention</c>, at most
    /// <paramref name="batches"/> batches of <paramref name="batchSize"/>: their receiver answers, their bodies' URLs and
    /// their endpoints' paths and queries are removed (<see cref="DeadLetterRedaction"/>). Returns how many it purged.
    /// </summary>
    public async Task<int> PurgeDeadLettersAsync(int batchSize = 500, int batches = 20, CancellationToken cancellationToken = default)
    {
        var cutoff = _time.GetUtcNow() - _options.CurrentValue.DeadLetterRetention;
        var purged = 0;
        for (var batch = 0; batch < batches; batch++)
        {
            var count = await _deadLetters.PurgeAsync(cutoff, batchSize, cancellationToken);
            purged += count;
            if (count < batchSize)
            {
                break;
            }
        }

        _metrics.Purged(purged);
        if (purged > 0)
        {
            LogPurged(purged, cutoff);
        }

        return purged;
    }

    /// <summary>
    /// How long one call to <see cref="DeliverAsync"/> may take, refusals' answers read and every endpoint (they are
    /// called at once) included: <c>Billing:Outbound:TotalTimeout</c>, below the grain-call timeout of the turn it runs in.
    /// </summary>
    public TimeSpan CallBudget => _options.CurrentValue.TotalTimeout;

    private async Task<DeliveryOutcome> DeliverToAsync(Message message, string endpoint, string secret, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var host = HostOf(endpoint);
        var client = _httpClients.CreateClient(ClientName);
        try
        {
            using var request = CreateRequest(message, endpoint, secret);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var statusCode = (int)response.StatusCode;
            if (DeliveryFailures.IsSuccess(statusCode))
            {
                _metrics.Delivery(message.Target, "delivered");
                LogDelivered(message.Id, message.Type, message.Target, host, statusCode);
                return DeliveryOutcome.Delivered;
            }

            if (DeliveryFailures.IsTransient(statusCode))
            {
                _metrics.Delivery(message.Target, "retry_later");
                LogTransientAnswer(message.Id, message.Type, message.Target, host, statusCode);
                return DeliveryOutcome.RetryLater;
            }

            // The answer is read within what is left of the call's budget: a slow refusal must not outlast the turn.
            var left = _options.CurrentValue.TotalTimeout - _time.GetElapsedTime(started);
            var error = await DescribeAsync(response, left < ErrorReadTimeout ? left : ErrorReadTimeout, cancellationToken);
            return await DeadLetterAsync(message, endpoint, host, statusCode, error, cancellationToken);
        }
        catch (Exception exception) when (DeliveryFailures.IsTransient(exception, cancellationToken))
        {
            _metrics.Delivery(message.Target, "retry_later");
            LogUnreachable(message.Id, message.Type, message.Target, host, Describe(exception));
            return DeliveryOutcome.RetryLater;
        }
    }

    private async Task<DeliveryOutcome> DeadLetterAsync(Message message, string endpoint, string host, int statusCode, string error,
        CancellationToken cancellationToken)
    {
        var deadLetter = new NewDeadLetter(message.Id, message.Type, message.Target, message.CustomerId, endpoint,
            Encoding.UTF8.GetString(message.Body.Span), statusCode, error);
        try
        {
            var stored = await _deadLetters.AddAsync(deadLetter, cancellationToken);
            if (stored)
            {
                _metrics.DeadLetterStored(message.Target);
            }

            _metrics.Delivery(message.Target, "dead_lettered");
            LogDeadLettered(message.Id, message.Type, message.Target, host, statusCode, stored);
            return DeliveryOutcome.DeadLettered;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Not stored means not handled: the caller's redelivery brings the message back, and the store is tried again.
            _metrics.Delivery(message.Target, "retry_later");
            LogDeadLetterNotStored(exception, message.Id, message.Type, message.Target, host, statusCode);
            return DeliveryOutcome.RetryLater;
        }
    }

    private HttpRequestMessage CreateRequest(Message message, string endpoint, string secret)
    {
        var content = new ReadOnlyMemoryContent(message.Body);
        content.Headers.ContentType = JsonContentType;
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, UriKind.Absolute)) { Content = content };
        request.Options.Set(RedactUrl, true);
        request.Headers.TryAddWithoutValidation(OutboundHeaders.Signature, OutboundSignature.Create(message.Body.Span, secret, _time.GetUtcNow()));
        request.Headers.TryAddWithoutValidation(OutboundHeaders.MessageId, message.Id);
        request.Headers.TryAddWithoutValidation(OutboundHeaders.MessageType, message.Type);
        return request;
    }

    /// <summary>The status, reason and the start of the answer, for the dead letter (never logged).</summary>
    private static async Task<string> DescribeAsync(HttpResponseMessage response, TimeSpan readFor, CancellationToken cancellationToken)
    {
        var description = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd();
        if (readFor <= TimeSpan.Zero)
        {
            return description;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(readFor);
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            var buffer = new byte[ErrorExcerptBytes];
            var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, timeout.Token);
            var excerpt = Encoding.UTF8.GetString(buffer, 0, read).ReplaceLineEndings(" ").Trim();
            return excerpt.Length == 0 ? description : $"{description}: {excerpt}";
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException ||
                                          (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return description;
        }
    }

    private static string Describe(Exception exception) => exception switch
    {
        Polly.Timeout.TimeoutRejectedException => "timeout: " + exception.Message,
        Polly.CircuitBreaker.BrokenCircuitException => "circuit open: recent deliveries to this endpoint failed",
        OperationCanceledException => "timeout: " + exception.Message,
        _ => exception.InnerException is { } inner ? $"{exception.Message} ({inner.Message})" : exception.Message,
    };

    /// <summary>An endpoint as it may be logged: its host and port, never its path or query (they may carry tokens).</summary>
    internal static string HostOf(string endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) ? uri.Authority : "(invalid endpoint)";

    // Debug: one line per message costs more than the message (the start-up log says once that nothing is configured).
    [LoggerMessage(Level = LogLevel.Debug, Message = "Message {MessageId} ({MessageType}) to {Target}: no endpoint configured, nothing sent")]
    private partial void LogNotConfigured(string messageId, string messageType, OutboundTarget target);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Message {MessageId} ({MessageType}) to {Target} delivered to {EndpointHost}: {StatusCode}")]
    private partial void LogDelivered(string messageId, string messageType, OutboundTarget target, string endpointHost, int statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} ({MessageType}) to {Target}: {EndpointHost} still answered {StatusCode} after the retries; to be delivered again later")]
    private partial void LogTransientAnswer(string messageId, string messageType, OutboundTarget target, string endpointHost, int statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} ({MessageType}) to {Target}: {EndpointHost} unreachable after the retries ({Reason}); to be delivered again later")]
    private partial void LogUnreachable(string messageId, string messageType, OutboundTarget target, string endpointHost, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageId} ({MessageType}) to {Target}: {EndpointHost} refused it with {StatusCode}; dead-lettered (first time: {Stored})")]
    private partial void LogDeadLettered(string messageId, string messageType, OutboundTarget target, string endpointHost, int statusCode, bool stored);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageId} ({MessageType}) to {Target}: {EndpointHost} refused it with {StatusCode}, and the dead letter could not be stored; to be delivered again later")]
    private partial void LogDeadLetterNotStored(Exception exception, string messageId, string messageType, OutboundTarget target, string endpointHost, int statusCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dead letter {DeadLetterId} (message {MessageId}) replayed to {EndpointHost}: {ReplayStatus} {StatusCode}")]
    private partial void LogReplayed(long deadLetterId, string messageId, string endpointHost, ReplayStatus replayStatus, int? statusCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Purged} dead letter(s) stored before {Cutoff}: receiver answers, URLs and endpoint paths removed")]
    private partial void LogPurged(int purged, DateTimeOffset cutoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead letter {DeadLetterId} not replayed: Billing:Outbound:SigningSecret is not set on this host")]
    private partial void LogReplayNotSigned(long deadLetterId);

    private sealed record Message(OutboundTarget Target, string Id, string Type, string CustomerId, ReadOnlyMemory<byte> Body);
}
