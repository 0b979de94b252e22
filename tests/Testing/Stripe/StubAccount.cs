using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Billing.Testing.Stripe;

/// <summary>
/// The state of one Stripe account in the stub (the platform, or a connected account selected by the request's
/// <c>Stripe-Account</c> header): subscriptions, customers, entitlements and events. Thread-safe.
/// </summary>
public sealed class StubAccount
{
    private readonly Lock _featuresLock = new();
    private readonly ConcurrentDictionary<string, StubIndex> _entitlements = new(StringComparer.Ordinal);
    private long _sequence;

    internal StubAccount(string? id) => Id = id;

    /// <summary>The account id; null for the platform account.</summary>
    public string? Id { get; }

    internal StubIndex Subscriptions { get; } = new("subscription");

    internal StubIndex Customers { get; } = new("customer");

    internal StubIndex Features { get; } = new("feature");

    // Stripe says "notification" for events, in its "No such notification: 'evt_…'" message.
    internal StubIndex Events { get; } = new("notification");

    /// <summary>
    /// Adds or replaces (by id) a subscription, stored and returned exactly as given; its <c>created</c>,
    /// <c>customer</c> and <c>status</c> are read for the list filters. Adds its customer if missing.
    /// </summary>
    public void PutSubscription(string json)
    {
        var record = SubscriptionRecord(json);
        Subscriptions.Put(record);
        if (record.Customer is { } customer)
        {
            Customers.TryAdd(CustomerRecord(customer, record.Created));
        }
    }

    /// <summary>Removes a subscription; whether it was there.</summary>
    public bool RemoveSubscription(string id) => Subscriptions.Remove(id);

    /// <summary>Rewrites the stored subscription's <c>status</c> (the JSON is then re-serialized, compact).</summary>
    /// <exception cref="KeyNotFoundException">No such subscription in this account.</exception>
    public void SetSubscriptionStatus(string id, string status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var found = Subscriptions.Update(id, current =>
        {
            var node = JsonNode.Parse(current.Json)!.AsObject();
            node["status"] = status;
            return current with { Json = node.ToJsonString(), Status = status };
        });
        if (!found)
        {
            throw new KeyNotFoundException($"No subscription '{id}' in account {Id ?? "(platform)"}.");
        }
    }

    /// <summary>The stored subscription JSON, or null.</summary>
    public string? Subscription(string id) => Subscriptions.Find(id)?.Json;

    /// <summary>Adds or replaces a customer: <c>{id, object:"customer", created, livemode:false}</c>.</summary>
    public void PutCustomer(string id, long created) => Customers.Put(CustomerRecord(id, created));

    /// <summary>The stored customer JSON, or null.</summary>
    public string? Customer(string id) => Customers.Find(id)?.Json;

    /// <summary>
    /// Replaces the customer's active entitlements by one per lookup key, adding the features that are missing.
    /// No keys leaves the customer with none.
    /// </summary>
    public void PutActiveEntitlements(string customerId, params string[] lookupKeys)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        ArgumentNullException.ThrowIfNull(lookupKeys);
        var entitlements = new StubIndex("entitlements.active_entitlement");
        foreach (var lookupKey in lookupKeys)
        {
            var feature = AddFeature(lookupKey);
            var id = string.Create(CultureInfo.InvariantCulture, $"ent_test_{Interlocked.Increment(ref _sequence):D8}");
            entitlements.Put(new StubRecord(id, Interlocked.Increment(ref _sequence), Json(writer =>
            {
                writer.WriteString("id", id);
                writer.WriteString("object", "entitlements.active_entitlement");
                writer.WriteString("feature", feature);
                writer.WriteBoolean("livemode", false);
                writer.WriteString("lookup_key", lookupKey);
            })) { LookupKey = lookupKey });
        }

        // Swapped whole, so a reader sees the old set or the new one, never half of each.
        _entitlements[customerId] = entitlements;
    }

    /// <summary>Adds an entitlement feature (listed by <c>GET /v1/entitlements/features</c>) unless one has this lookup key; its id.</summary>
    public string AddFeature(string lookupKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(lookupKey);
        lock (_featuresLock)
        {
            var id = $"feat_test_{lookupKey}";
            Features.TryAdd(new StubRecord(id, Interlocked.Increment(ref _sequence), Json(writer =>
            {
                writer.WriteString("id", id);
                writer.WriteString("object", "entitlements.feature");
                writer.WriteString("lookup_key", lookupKey);
                writer.WriteString("name", lookupKey);
                writer.WriteBoolean("active", true);
                writer.WriteBoolean("livemode", false);
                writer.WriteStartObject("metadata");
                writer.WriteEndObject();
            })) { LookupKey = lookupKey });
            return id;
        }
    }

    /// <summary>
    /// Adds (or replaces, by id) an event, stored and listed exactly as given; its <c>id</c>, <c>type</c> and
    /// <c>created</c> are read from it. With <paramref name="visibleFrom"/>, the event exists only from that instant
    /// of the stub's clock on: a "late-visible" event, created in the past but listed after a poller passed it.
    /// </summary>
    public void AddEvent(string json, DateTimeOffset? visibleFrom = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        // An event without created would be older than any retention and silently never listed: refuse it instead.
        var created = root.TryGetProperty("created", out var c) && c.ValueKind == JsonValueKind.Number
            ? c.GetInt64()
            : throw new ArgumentException("The event has no numeric \"created\".", nameof(json));
        Events.Put(new StubRecord(RequiredString(root, "id"), created, json)
        {
            Type = RequiredString(root, "type"),
            VisibleFrom = visibleFrom,
        });
    }

    /// <summary>The customer's active entitlements (empty for a customer with none).</summary>
    internal StubIndex EntitlementsOf(string customerId) =>
        _entitlements.TryGetValue(customerId, out var entitlements) ? entitlements : new StubIndex("entitlements.active_entitlement");

    private static StubRecord SubscriptionRecord(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;

        // customer is an id, or the customer object when expanded.
        var customer = root.TryGetProperty("customer", out var c)
            ? c.ValueKind == JsonValueKind.Object ? RequiredString(c, "id") : c.GetString()
            : null;
        return new StubRecord(RequiredString(root, "id"), Int64(root, "created"), json)
        {
            Customer = customer,
            Status = root.TryGetProperty("status", out var status) ? status.GetString() : null,
        };
    }

    private static StubRecord CustomerRecord(string id, long created) =>
        new(id, created, Json(writer =>
        {
            writer.WriteString("id", id);
            writer.WriteString("object", "customer");
            writer.WriteNumber("created", created);
            writer.WriteBoolean("livemode", false);
        }));

    private static string RequiredString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new ArgumentException($"The object has no string \"{name}\".");

    private static long Int64(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
