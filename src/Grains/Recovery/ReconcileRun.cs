using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Billing.Grains.Customers;
using Billing.Grains.Events;
using Billing.Journal;
using Billing.Recovery;
using Billing.Recovery.Api;
using Billing.Recovery.Store;
using Billing.StripeEvents;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Billing.Grains.Recovery;

/// <summary>
/// Reconciliation: per account, every subscription of every status (one sweep of 100-item pages, not a call per
/// customer), plus every customer the journal knows that Stripe lists nothing for; each customer compares itself with
/// what Stripe showed (<see cref="StripeViewEvents.Compare"/>). Only when the share of customers that drift is
/// ordinary are they repaired (entries <c>billing.reconciled</c>, source <c>reconcile</c>); a mass drift is recorded
/// and reported, and nothing is rewritten. Stripe sometimes never creates an event at all: only this catches it.
/// A run resumed after a crash starts its account again (comparing is idempotent, repairs are deduped per job).
/// </summary>
public sealed partial class ReconcileRun(
    StripeApi stripe,
    IGrainFactory grains,
    IJournalStore journal,
    SyncStore store,
    IOptions<StripeApiOptions> apiOptions,
    IOptions<ReconcileOptions> options,
    RecoveryMetrics metrics,
    ILogger<ReconcileRun> logger) : ISyncRun
{
    /// <summary>The name of the latest run's summary in the store.</summary>
    public const string LatestName = "reconcile-latest";

    private readonly IReadOnlyList<string?> _accounts = apiOptions.Value.Accounts;

    /// <inheritdoc/>
    public async Task RunAsync(SyncJobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cursor = context.Cursor(ReconcileCursorJson.Default.ReconcileCursor) ?? new ReconcileCursor(0, 0);
        string? mass = null;
        while (cursor.Account < _accounts.Count)
        {
            var account = _accounts[cursor.Account];
            var (views, fetched) = await SweepAsync(context, account, cancellationToken);
            var drifts = await CompareAsync(views, repair: false, cancellationToken);
            var share = views.Count == 0 ? 0 : (double)drifts.Length / views.Count;
            var repaired = ImmutableArray<DriftRecord>.Empty;
            if (drifts.Length >= options.Value.MassDriftMinimum && share > options.Value.MassDriftShare)
            {
                mass = $"mass drift: {drifts.Length} of {views.Count} customers of {account ?? "the platform account"} differ from Stripe " +
                       $"(more than {options.Value.MassDriftShare:P0}); nothing was repaired. Check that Stripe:ApiKey belongs to this " +
                       "account and mode, then run an import or fix the cause";
                LogMassDrift(account ?? "platform", drifts.Length, views.Count);
                await store.AddDriftsAsync(context.JobId, drifts, cancellationToken);
                metrics.RecordDrifts(drifts.Length, repaired: false);
            }
            else if (drifts.Length > 0)
            {
                var toRepair = views.Where(v => drifts.Any(d => d.CustomerId == v.Key)).ToList();
                repaired = await CompareAsync(toRepair, repair: true, cancellationToken);
                await store.AddDriftsAsync(context.JobId, repaired, cancellationToken);
                metrics.RecordDrifts(repaired.Length, repaired: true);
            }

            cursor = new ReconcileCursor(cursor.Account + 1, cursor.Checked + views.Count);
            await context.SaveAsync(cursor, ReconcileCursorJson.Default.ReconcileCursor,
                new SyncCounts(Fetched: fetched, Applied: repaired.Length, Repaired: repaired.Length), (double)cursor.Account / _accounts.Count,
                mass, cancellationToken);
        }

        await store.SetValueAsync(LatestName, JsonSerializer.Serialize(
            new ReconcileSummary(context.Time.GetUtcNow(), cursor.Checked), ReconcileCursorJson.Default.ReconcileSummary), cancellationToken);
        if (mass is not null)
        {
            throw new MassDriftException(mass);
        }
    }

    // What Stripe shows of every customer of the account (complete: every status), and the journal's customers of the
    // account that Stripe lists nothing for. Dated at the sweep's start: a change Stripe made during the sweep is newer.
    private async Task<(List<KeyValuePair<string, StripeCustomerView>> Views, long Fetched)> SweepAsync(SyncJobContext context, string? account,
        CancellationToken cancellationToken)
    {
        var fetchedAt = context.Time.GetUtcNow().ToUnixTimeSeconds();
        var subscriptions = new Dictionary<string, List<SubscriptionSnapshot>>(StringComparer.Ordinal);
        long fetched = 0;
        string? after = null;
        do
        {
            List<KeyValuePair<string, string>> query = [new("status", "all"), new("limit", "100")];
            if (after is not null)
            {
                query.Add(new("starting_after", after));
            }

            var page = await stripe.ListAsync("/v1/subscriptions", query, account, cancellationToken);
            fetched += page.Items.Count;
            foreach (var item in page.Items)
            {
                if (StripeEnvelopeReader.ReadSubscription(item) is var (customer, snapshot))
                {
                    var key = StripeEnvelopeReader.CustomerKeyOf(account, customer);
                    if (!subscriptions.TryGetValue(key, out var list))
                    {
                        subscriptions[key] = list = [];
                    }

                    list.Add(snapshot);
                }
            }

            after = page.HasMore ? page.LastId : null;
        }
        while (after is not null);

        var views = subscriptions.Select(pair => new KeyValuePair<string, StripeCustomerView>(pair.Key,
            new StripeCustomerView(context.JobId, fetchedAt, [.. pair.Value], null, Complete: true))).ToList();
        await foreach (var known in KnownCustomersAsync(account, cancellationToken))
        {
            if (!subscriptions.ContainsKey(known))
            {
                views.Add(new(known, new StripeCustomerView(context.JobId, fetchedAt, [], null, Complete: true)));
            }
        }

        return (views, fetched);
    }

    // The journal's customers of this account: acct_…/cus_… for a connected account, plain cus_… for the platform.
    private async IAsyncEnumerable<string> KnownCustomersAsync(string? account,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Every key is read (the database's collation need not keep an account's keys together); ids only, cheap.
        string? after = null;
        while (true)
        {
            var page = await journal.ListCustomersAsync(after, 1_000, cancellationToken);
            foreach (var customer in page)
            {
                var slash = customer.IndexOf('/', StringComparison.Ordinal);
                var owner = slash > 0 ? customer[..slash] : null;
                if (owner == account)
                {
                    yield return customer;
                }
            }

            if (page.Count < 1_000)
            {
                yield break;
            }

            after = page[^1];
        }
    }

    private async Task<ImmutableArray<DriftRecord>> CompareAsync(List<KeyValuePair<string, StripeCustomerView>> views, bool repair,
        CancellationToken cancellationToken)
    {
        var drifts = ImmutableArray.CreateBuilder<DriftRecord>();
        for (var start = 0; start < views.Count; start += CustomerBatches.Parallelism)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var outcomes = await Task.WhenAll(views.Skip(start).Take(CustomerBatches.Parallelism)
                .Select(pair => grains.GetGrain<ICustomerGrain>(pair.Key).ReconcileAsync(pair.Value, repair)));
            drifts.AddRange(outcomes.Select(o => o.Drift).OfType<DriftRecord>());
        }

        return drifts.ToImmutable();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Mass drift in {Account}: {Drifted} of {Checked} customers differ from Stripe; nothing was repaired")]
    private partial void LogMassDrift(string account, int drifted, int @checked);
}

/// <summary>A reconciliation found too many customers drifting to repair them: reported, not repaired.</summary>
public sealed class MassDriftException(string message) : Exception(message);

/// <summary>Where a reconciliation is: the next account, and how many customers were checked before it.</summary>
public sealed record ReconcileCursor(int Account, long Checked);

/// <summary>The latest reconciliation, for <c>GET /admin/drift</c>.</summary>
public sealed record ReconcileSummary(DateTimeOffset CheckedAt, long CustomersChecked);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ReconcileCursor))]
[JsonSerializable(typeof(ReconcileSummary))]
internal sealed partial class ReconcileCursorJson : JsonSerializerContext;
