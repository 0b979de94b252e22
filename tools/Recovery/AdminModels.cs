using System.Text.Json.Serialization;

namespace Billing.RecoveryTool;

/// <summary>The job states the gateway reports.</summary>
internal static class JobStates
{
    /// <summary>Still working: keep following.</summary>
    public const string Running = "running";

    /// <summary>Ended well.</summary>
    public const string Done = "done";

    /// <summary>Ended with <see cref="JobInfo.LastError"/>.</summary>
    public const string Failed = "failed";
}

/// <summary>One recovery job, as <c>GET /admin/stripe/jobs</c> and the start routes describe it.</summary>
/// <param name="Id">The job's id, e.g. <c>import_20260102T100000_1a2b3c4d</c>.</param>
/// <param name="Kind">import, backfill, poll or reconcile.</param>
/// <param name="State">One of <see cref="JobStates"/>.</param>
/// <param name="StartedAt">When it started (the cluster's clock).</param>
/// <param name="FinishedAt">When it ended; null while running.</param>
/// <param name="Counts">What it did so far.</param>
/// <param name="Progress">0 to 1 where the job can tell, else null.</param>
/// <param name="LastError">The latest problem the job met.</param>
internal sealed record JobInfo(string Id, string Kind, string State, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
    JobCounts Counts, double? Progress, string? LastError);

/// <summary>What a job did.</summary>
/// <param name="Fetched">Objects or events read from Stripe.</param>
/// <param name="Applied">Applied to a customer.</param>
/// <param name="Duplicate">Already applied.</param>
/// <param name="Ignored">Not used by billing.</param>
/// <param name="Failed">Could not be applied (the job reads them again later).</param>
/// <param name="Repaired">Customers whose drift was repaired (reconciliation).</param>
internal sealed record JobCounts(long Fetched, long Applied, long Duplicate, long Ignored, long Failed, long Repaired);

/// <summary><c>GET /admin/stripe/jobs</c>: newest first.</summary>
/// <param name="Jobs">The jobs of the last 7 days.</param>
internal sealed record JobList(IReadOnlyList<JobInfo> Jobs);

/// <summary><c>GET /admin/drift</c>.</summary>
/// <param name="CheckedAt">When the latest reconciliation ended; null before the first.</param>
/// <param name="CustomersChecked">How many customers it compared.</param>
/// <param name="Drifts">The drifts of the last 7 days, newest first.</param>
internal sealed record DriftReport(DateTimeOffset? CheckedAt, long CustomersChecked, IReadOnlyList<DriftEntry> Drifts);

/// <summary>One drifted customer.</summary>
/// <param name="CustomerId">The customer (<c>acct_…/cus_…</c> for a Connect account's).</param>
/// <param name="DetectedAt">When the reconciliation saw it.</param>
/// <param name="Billing">What Billing held.</param>
/// <param name="Stripe">What Stripe showed.</param>
/// <param name="Repaired">Whether Billing was brought in line (a mass drift is only reported).</param>
internal sealed record DriftEntry(string CustomerId, DateTimeOffset DetectedAt, DriftSide Billing, DriftSide Stripe, bool Repaired);

/// <summary>One side of a drift.</summary>
/// <param name="Subscriptions">Subscription status by subscription id.</param>
/// <param name="Access">NONE, ACTIVE, GRACE or SUSPENDED.</param>
/// <param name="Entitlements">Active entitlement keys, where they were compared.</param>
internal sealed record DriftSide(IReadOnlyDictionary<string, string> Subscriptions, string Access, IReadOnlyList<string>? Entitlements);

/// <summary>The gateway's error answer: <c>{"error", "message"}</c>; either may be missing from a proxy's answer.</summary>
/// <param name="Error">A code such as <c>unauthorized</c> or <c>stripe_api_not_configured</c>.</param>
/// <param name="Message">What to tell the operator.</param>
internal sealed record ErrorAnswer(string? Error = null, string? Message = null);

/// <summary><c>POST /admin/stripe/backfill</c>'s body.</summary>
/// <param name="Since">Where to start reading the Events API.</param>
internal sealed record BackfillBody(DateTimeOffset Since);

/// <summary>
/// The admin API's JSON, snake_case. Nullability and constructor parameters are enforced so that an answer missing a
/// field fails as a <see cref="System.Text.Json.JsonException"/> here, not as a null much later in the rendering (the
/// gateway writes its nulls out).
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(JobInfo))]
[JsonSerializable(typeof(JobList))]
[JsonSerializable(typeof(DriftReport))]
[JsonSerializable(typeof(ErrorAnswer))]
[JsonSerializable(typeof(BackfillBody))]
internal sealed partial class AdminJson : JsonSerializerContext;
