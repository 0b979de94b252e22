using System.Net.Http.Headers;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Billing.Outbound;

/// <summary>
/// How an endpoint's answer is classified. 2xx: delivered. Timeout, connection error, 408, 429, 5xx: transient,
/// retried. Anything else (another 4xx, a redirect, which is never followed): structural, dead-lettered at once.
/// </summary>
internal static class DeliveryFailures
{
    public static bool IsSuccess(int statusCode) => statusCode is >= 200 and <= 299;

    public static bool IsTransient(int statusCode) => statusCode is 408 or 429 or >= 500;

    /// <summary>Whether an exception from sending means "no answer now" rather than a caller's cancellation or a bug.</summary>
    public static bool IsTransient(Exception exception, CancellationToken callerToken) => exception switch
    {
        HttpRequestException => true,
        ExecutionRejectedException => true, // Polly: a timeout (attempt or total), or an open circuit
        OperationCanceledException => !callerToken.IsCancellationRequested, // HttpClient's own timeout
        _ => false,
    };

    /// <summary>
    /// The retry predicate: transient outcomes, except an answer whose <c>Retry-After</c> asks for longer than the whole
    /// in-call budget. Waiting for it would only hold the caller's turn until the budget runs out; the caller's
    /// redelivery comes back later anyway.
    /// </summary>
    public static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, TimeSpan budget, TimeProvider time)
    {
        if (!HttpClientResiliencePredicates.IsTransient(outcome))
        {
            return false;
        }

        return outcome.Result?.Headers.RetryAfter is not { } retryAfter || Delay(retryAfter, time) <= budget;
    }

    private static TimeSpan Delay(RetryConditionHeaderValue retryAfter, TimeProvider time) =>
        retryAfter.Delta ?? (retryAfter.Date is { } date ? date - time.GetUtcNow() : TimeSpan.Zero);
}
