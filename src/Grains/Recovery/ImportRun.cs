using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Billing.Grains.Customers;
using Billing.Grains.Events;
using Billing.Recovery;
using Billing.Recovery.Api;
using Billing.StripeEvents;
using Microsoft.Extensions.Options;

namespace Billing.Grains.Recovery;

/// <summary>
/// Import: every subscription of every status of each account (<c>status=all</c>, 100 a page), applied to its customer
/// as a snapshot dated when its page was fetched; then, when the account defines entitlement features at all, each
/// customer's active entitlements (Stripe has no account-wide list of those: one call per customer). The cursor is the
/// last id read; a job resumed after a crash reads the next page, and a page read again applies nothing twice (each
/// snapshot's id is the job's id and the subscription's).
/// </summary>
public sealed class ImportRun(
    StripeApi stripe,
    IGrainFactory grains,
    IOptions<StripeApiOptions> apiOptions,
    RecoveryMetrics metrics) : ISyncRun
{
    private const string Subscriptions = "subscriptions";
    private const string Entitlements = "entitlements";

    // Stripe was founded in 2010: nothing in an account is older.
    private static readonly long Earliest = new DateTimeOffset(2010, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    private readonly IReadOnlyList<string?> _accounts = apiOptions.Value.Accounts;

    /// <inheritdoc/>
    public async Task RunAsync(SyncJobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cursor = context.Cursor(ImportCursorJson.Default.ImportCursor) ?? new ImportCursor(0, Subscriptions, null, null, null);
        (string? After, Task<StripePage> Page)? prefetched = null;
        while (cursor.Account < _accounts.Count)
        {
            var account = _accounts[cursor.Account];
            if (cursor.Phase == Subscriptions)
            {
                if (cursor.Newest is null)
                {
                    cursor = await MeasureAsync(cursor, account, cancellationToken);
                }

                // The next page is read while this one is applied: the import is then bound by the slower of the two
                // (Stripe's ceiling, or the customers' appends), not by their sum.
                var page = await (prefetched is { } ready && ready.After == cursor.After ? ready.Page : ReadPageAsync(account, cursor.After, cancellationToken));
                prefetched = page.HasMore && page.LastId is { } next ? (next, ReadPageAsync(account, next, cancellationToken)) : null;
                var counts = await ImportSubscriptionsAsync(context, account, page, cancellationToken);
                cursor = page.HasMore && page.LastId is { } last
                    ? cursor with { After = last, Reached = CreatedOf(page.Items[^1]) }
                    : cursor with { Phase = Entitlements, After = null };
                await context.SaveAsync(cursor, ImportCursorJson.Default.ImportCursor, counts, Progress(cursor), cancellationToken: cancellationToken);
            }
            else
            {
                var (next, counts) = await ImportEntitlementsPageAsync(context, account, cursor, cancellationToken);
                cursor = next;
                await context.SaveAsync(cursor, ImportCursorJson.Default.ImportCursor, counts, Progress(cursor), cancellationToken: cancellationToken);
            }
        }
    }

    private Task<StripePage> ReadPageAsync(string? account, string? after, CancellationToken cancellationToken) =>
        stripe.ListAsync("/v1/subscriptions", Query(("status", "all"), ("limit", "100"), ("starting_after", after)), account, cancellationToken);

    private async Task<SyncCounts> ImportSubscriptionsAsync(SyncJobContext context, string? account, StripePage page, CancellationToken cancellationToken)
    {
        long ignored = 0;
        var byCustomer = new Dictionary<string, List<SubscriptionSnapshot>>(StringComparer.Ordinal);
        foreach (var item in page.Items)
        {
            if (StripeEnvelopeReader.ReadSubscription(item) is not var (customer, snapshot))
            {
                ignored++;
                continue;
            }

            var key = StripeEnvelopeReader.CustomerKeyOf(account, customer);
            if (!byCustomer.TryGetValue(key, out var list))
            {
                byCustomer[key] = list = [];
            }

            list.Add(snapshot);
        }

        var fetchedAt = page.FetchedAt.ToUnixTimeSeconds();
        var counts = await CustomerBatches.RunAsync([.. byCustomer], async pair =>
        {
            var outcome = await grains.GetGrain<ICustomerGrain>(pair.Key)
                .ImportAsync(new StripeCustomerView(context.JobId, fetchedAt, [.. pair.Value], null, Complete: false));
            return new SyncCounts(Applied: outcome.Applied, Duplicate: pair.Value.Count - outcome.Applied);
        }, cancellationToken);
        counts = counts with { Fetched = page.Items.Count, Ignored = ignored };
        metrics.RecordItems(SyncKinds.Import, counts.Applied, counts.Duplicate, counts.Ignored, counts.Failed);
        return counts;
    }

    // One page of customers, and each one's active entitlements; skipped for an account without entitlement features.
    private async Task<(ImportCursor Next, SyncCounts Counts)> ImportEntitlementsPageAsync(SyncJobContext context, string? account,
        ImportCursor cursor, CancellationToken cancellationToken)
    {
        var done = cursor with { Account = cursor.Account + 1, Phase = Subscriptions, After = null, Newest = null, Oldest = null, Reached = null };
        if (cursor.After is null)
        {
            var features = await stripe.ListAsync("/v1/entitlements/features", Query(("limit", "1")), account, cancellationToken);
            if (features.Items.Count == 0)
            {
                return (done, new SyncCounts());
            }
        }

        var customers = await stripe.ListAsync("/v1/customers", Query(("limit", "100"), ("starting_after", cursor.After)), account, cancellationToken);
        var ids = customers.Items.Select(c => c.TryGetProperty("id", out var id) ? id.GetString() : null).OfType<string>().ToList();
        var counts = await CustomerBatches.RunAsync(ids, async customer =>
        {
            var keys = await ActiveEntitlementsAsync(account, customer, cancellationToken);
            if (keys.IsEmpty)
            {
                return new SyncCounts(Fetched: 1, Ignored: 1);
            }

            var outcome = await grains.GetGrain<ICustomerGrain>(StripeEnvelopeReader.CustomerKeyOf(account, customer))
                .ImportAsync(new StripeCustomerView(context.JobId, context.Time.GetUtcNow().ToUnixTimeSeconds(), [], keys, Complete: false));
            return new SyncCounts(Fetched: 1, Applied: outcome.Applied, Duplicate: 1 - outcome.Applied);
        }, cancellationToken);
        return (customers.HasMore && customers.LastId is { } last ? cursor with { After = last } : done, counts);
    }

    private async Task<ImmutableArray<string>> ActiveEntitlementsAsync(string? account, string customer, CancellationToken cancellationToken)
    {
        var keys = ImmutableArray.CreateBuilder<string>();
        string? after = null;
        do
        {
            var page = await stripe.ListAsync("/v1/entitlements/active_entitlements",
                Query(("customer", customer), ("limit", "100"), ("starting_after", after)), account, cancellationToken);
            keys.AddRange(page.Items.Select(e => e.TryGetProperty("lookup_key", out var key) ? key.GetString() : null).OfType<string>());
            after = page.HasMore ? page.LastId : null;
        }
        while (after is not null);
        return keys.ToImmutable();
    }

    // Stripe's lists carry no total, so progress is estimated from creation times: the newest subscription and the
    // oldest (found by halving a created[lt] range, ≈ 16 requests) bound the range the newest-first pages walk down.
    private async Task<ImportCursor> MeasureAsync(ImportCursor cursor, string? account, CancellationToken cancellationToken)
    {
        var first = await stripe.ListAsync("/v1/subscriptions", Query(("status", "all"), ("limit", "1")), account, cancellationToken);
        if (first.Items.Count == 0)
        {
            return cursor with { Newest = 0, Oldest = 0 };
        }

        var newest = CreatedOf(first.Items[0]) ?? 0;
        long low = Earliest, high = newest + 1;
        while (high - low > 86_400)
        {
            var middle = low + ((high - low) / 2);
            var older = await stripe.ListAsync("/v1/subscriptions",
                Query(("status", "all"), ("limit", "1"), ("created[lt]", middle.ToString(CultureInfo.InvariantCulture))), account, cancellationToken);
            (low, high) = older.Items.Count > 0 ? (low, middle) : (middle, high);
        }

        return cursor with { Newest = newest, Oldest = low };
    }

    private double Progress(ImportCursor cursor)
    {
        if (cursor.Account >= _accounts.Count)
        {
            return 1;
        }

        var within = cursor.Phase != Subscriptions ? 0.99
            : cursor is { Newest: { } newest, Oldest: { } oldest, Reached: { } reached } && newest > oldest
                ? Math.Clamp((double)(newest - reached) / (newest - oldest), 0, 0.99)
                : 0;
        return (cursor.Account + within) / _accounts.Count;
    }

    private static long? CreatedOf(JsonElement item) =>
        item.TryGetProperty("created", out var created) && created.TryGetInt64(out var value) ? value : null;

    private static List<KeyValuePair<string, string>> Query(params (string Name, string? Value)[] parameters) =>
        [.. parameters.Where(p => p.Value is not null).Select(p => new KeyValuePair<string, string>(p.Name, p.Value!))];
}

/// <summary>Where an import is: the account, the phase, the last id read, and what progress is estimated from.</summary>
public sealed record ImportCursor(int Account, string Phase, string? After, long? Newest, long? Oldest, long? Reached = null);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ImportCursor))]
internal sealed partial class ImportCursorJson : JsonSerializerContext;
