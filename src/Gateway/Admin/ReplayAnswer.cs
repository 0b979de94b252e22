using Billing.Outbound;

namespace Billing.Gateway.Admin;

/// <summary>
/// The answer to <c>POST /admin/dead-letters/{id}/replay</c>: <c>status</c> is <c>delivered</c>, <c>rejected</c> (the
/// endpoint answered something else than 2xx), <c>unreachable</c> (no answer), <c>not_signed</c> (no signing secret
/// on the gateway) or <c>purged</c> (past <c>Billing:Outbound:DeadLetterRetention</c>: nothing to send); <c>status_code</c>
/// is the endpoint's answer when it gave one.
/// </summary>
public sealed record ReplayAnswer(long Id, string Status, int? StatusCode, string? Error, DateTimeOffset? ReplayedAt)
{
    /// <summary>The answer for <paramref name="result"/>.</summary>
    public static ReplayAnswer From(ReplayResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var status = result.Status switch
        {
            ReplayStatus.Delivered => "delivered",
            ReplayStatus.Rejected => "rejected",
            ReplayStatus.Unreachable => "unreachable",
            ReplayStatus.Purged => "purged",
            _ => "not_signed",
        };
        return new(result.DeadLetterId, status, result.StatusCode, result.Error, result.ReplayedAt);
    }
}
