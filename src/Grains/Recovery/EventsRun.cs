using System.Text.Json;
using System.Text.Json.Serialization;
using Billing.Grains.Customers;
using Billing.Grains.Events;
using Billing.Grains.Journal;
using Billing.Recovery;
using Billing.Recovery.Api;
using Billing.Recovery.Store;
using Billing.StripeEvents;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Billing.Grains.Recovery;

/// <summary>
/// Backfill and poll: reads Stripe's Events API for the types billing uses, one time window at a time (newest-first
/// pages, read raw so an old API version's shape cannot stall it), sorts each window by (created, id), and feeds
/// every event to its customer exactly as a webhook would be (source <c>events_api</c>): the customer's dedupe drops
/// what already arrived, in whatever way. The cursor moves per window. Event ids are only roughly time-ordered and
/// the list is eventually consistent, so nothing relies on an id cursor across windows; the poll re-reads an overlap
/// before its high-water mark each time.
/// </summary>
public sealed partial class EventsRun(
    string kind,
    StripeApi stripe,
    IGrainFactory grains,
    SyncStore store,
    IOptions<StripeApiOptions> apiOptions,
    IOptions<StripeSyncOptions> syncOptions,
    RecoveryMetrics metrics,
    ILogger<EventsRun> logger) : ISyncRun
{
    /// <summary>How far back Stripe's Events API lists events.</summary>
    public static readonly TimeSpan Reach = TimeSpan.FromDays(30);

    // Events this close to the 30-day edge may drop out of the list while a window is read, and are older than the
    // customers' in-memory dedupe window: they are refused (counted as ignored) rather than risked.
    private static readonly TimeSpan EdgeMargin = TimeSpan.FromMinutes(10);

    private readonly IReadOnlyList<string?> _accounts = apiOptions.Value.Accounts;

    /// <summary>The cursor of a backfill from <paramref name="since"/> to <paramref name="until"/>.</summary>
    public static string InitialCursor(DateTimeOffset since, DateTimeOffset until) =>
        JsonSerializer.Serialize(new EventsCursor(0, since.ToUnixTimeSeconds(), until.ToUnixTimeSeconds(), since.ToUnixTimeSeconds()),
            EventsCursorJson.Default.EventsCursor);

    /// <summary>The name of an account's poll high-water mark in the store.</summary>
    public static string HighWaterName(string? account) => $"events-high-water:{account ?? "platform"}";

    /// <inheritdoc/>
    public async Task RunAsync(SyncJobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var now = context.Time.GetUtcNow();
        var cursor = context.Cursor(EventsCursorJson.Default.EventsCursor) ?? await PollStartAsync(0, now.ToUnixTimeSeconds(), cancellationToken);
        while (cursor.Account < _accounts.Count)
        {
            var account = _accounts[cursor.Account];
            var edge = (context.Time.GetUtcNow() - Reach + EdgeMargin).ToUnixTimeSeconds();
            if (cursor.From < edge)
            {
                var gap = $"events created between {DateTimeOffset.FromUnixTimeSeconds(cursor.From):u} and {DateTimeOffset.FromUnixTimeSeconds(edge):u} " +
                          $"({account ?? "platform"}) are beyond the 30 days Stripe's Events API keeps; reconciliation repairs what they changed";
                LogGap(account ?? "platform", DateTimeOffset.FromUnixTimeSeconds(cursor.From), DateTimeOffset.FromUnixTimeSeconds(edge));
                cursor = cursor with { From = edge };
                await context.SaveAsync(cursor, EventsCursorJson.Default.EventsCursor, new SyncCounts(), null, gap, cancellationToken);
            }

            while (cursor.From < cursor.Until)
            {
                var to = Math.Min(cursor.From + (long)syncOptions.Value.Window.TotalSeconds, cursor.Until);
                var counts = await ApplyWindowAsync(context, account, cursor.From, to, cancellationToken);
                cursor = cursor with { From = to };
                await context.SaveAsync(cursor, EventsCursorJson.Default.EventsCursor, counts, Progress(cursor), cancellationToken: cancellationToken);
            }

            if (kind == SyncKinds.Poll)
            {
                await store.SetValueAsync(HighWaterName(account), cursor.Until.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
                metrics.RecordPollLag(context.Time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(cursor.Until));
            }

            cursor = kind == SyncKinds.Poll && cursor.Account + 1 < _accounts.Count
                ? await PollStartAsync(cursor.Account + 1, cursor.Until, cancellationToken)
                : cursor with { Account = cursor.Account + 1, From = cursor.Since ?? cursor.From };
            await context.SaveAsync(cursor, EventsCursorJson.Default.EventsCursor, new SyncCounts(), Progress(cursor), cancellationToken: cancellationToken);
        }
    }

    // The poll reads from the account's high-water mark minus the overlap; a first poll, from one interval back.
    private async Task<EventsCursor> PollStartAsync(int account, long until, CancellationToken cancellationToken)
    {
        var overlap = (long)syncOptions.Value.Overlap.TotalSeconds;
        var stored = await store.GetValueAsync(HighWaterName(_accounts[account]), cancellationToken);
        var highWater = stored is not null && long.TryParse(stored, System.Globalization.CultureInfo.InvariantCulture, out var mark)
            ? mark
            : until - (long)syncOptions.Value.PollInterval.TotalSeconds;
        return new EventsCursor(account, Math.Min(highWater - overlap, until), until, null);
    }

    private double Progress(EventsCursor cursor)
    {
        if (cursor.Account >= _accounts.Count)
        {
            return 1;
        }

        var since = cursor.Since ?? cursor.From;
        var span = Math.Max(1, cursor.Until - since);
        var within = Math.Clamp((double)(cursor.From - since) / span, 0, 1);
        return (cursor.Account + within) / _accounts.Count;
    }

    private async Task<SyncCounts> ApplyWindowAsync(SyncJobContext context, string? account, long from, long to, CancellationToken cancellationToken)
    {
        var read = await ReadWindowAsync(account, from, to, cancellationToken);
        var edge = (context.Time.GetUtcNow() - Reach + EdgeMargin).ToUnixTimeSeconds();
        var livemode = apiOptions.Value.Livemode;
        long ignored = 0;
        var byCustomer = new Dictionary<string, List<StripeEvent>>(StringComparer.Ordinal);
        foreach (var item in read.OrderBy(e => e.Created).ThenBy(e => e.Id, StringComparer.Ordinal))
        {
            var envelope = StripeEnvelopeReader.Read(item.Json, account);
            if (envelope is not { Error: null, Event: { } stripeEvent, CustomerKey: { } customer } ||
                (livemode is { } mode && mode != envelope.Livemode) || stripeEvent.Created < edge)
            {
                ignored++;
                continue;
            }

            if (!byCustomer.TryGetValue(customer, out var events))
            {
                byCustomer[customer] = events = [];
            }

            events.Add(stripeEvent);
        }

        var counts = await CustomerBatches.RunAsync([.. byCustomer], async pair =>
        {
            var result = await grains.GetGrain<ICustomerGrain>(pair.Key).ApplyFromAsync([.. pair.Value], JournalSource.EventsApi);
            return CustomerBatches.Count(result.Statuses);
        }, cancellationToken);
        counts = counts with { Fetched = read.Count, Ignored = counts.Ignored + ignored };
        metrics.RecordItems(kind, counts.Applied, counts.Duplicate, counts.Ignored, counts.Failed);
        return counts;
    }

    // Every page of one window, newest first; an event listed twice (the list moved under the cursor) counts once.
    private async Task<List<ListedEvent>> ReadWindowAsync(string? account, long from, long to, CancellationToken cancellationToken)
    {
        var seen = new Dictionary<string, ListedEvent>(StringComparer.Ordinal);
        string? after = null;
        while (true)
        {
            List<KeyValuePair<string, string>> query =
            [
                new("created[gte]", from.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("created[lt]", to.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("limit", "100"),
                .. StripeEventTypes.All.Select((type, i) => new KeyValuePair<string, string>($"types[{i}]", type)),
            ];
            if (after is not null)
            {
                query.Add(new("starting_after", after));
            }

            var page = await stripe.ListAsync("/v1/events", query, account, cancellationToken);
            foreach (var item in page.Items)
            {
                if (item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
                {
                    var created = item.TryGetProperty("created", out var c) && c.TryGetInt64(out var value) ? value : 0;
                    seen.TryAdd(id.GetString()!, new ListedEvent(id.GetString()!, created, item));
                }
            }

            if (!page.HasMore || page.LastId is not { } last)
            {
                return [.. seen.Values];
            }

            after = last;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Events of {Account} created between {From} and {To} can no longer be read from Stripe; reconciliation repairs their effects")]
    private partial void LogGap(string account, DateTimeOffset from, DateTimeOffset to);

    private sealed record ListedEvent(string Id, long Created, JsonElement Json);
}

/// <summary>Where an events job is: the account (index into the platform and connected accounts), the next window's start, the end.</summary>
/// <param name="Account">Index of the account being read.</param>
/// <param name="From">Start of the next window (Unix seconds).</param>
/// <param name="Until">End of the range (Unix seconds): the job's start.</param>
/// <param name="Since">A backfill's start, for every account; null for a poll (each account from its high-water mark).</param>
public sealed record EventsCursor(int Account, long From, long Until, long? Since);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(EventsCursor))]
internal sealed partial class EventsCursorJson : JsonSerializerContext;
