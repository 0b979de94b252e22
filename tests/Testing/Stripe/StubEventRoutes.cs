using Microsoft.AspNetCore.Http;

namespace Billing.Testing.Stripe;

/// <summary>
/// <c>GET /v1/events</c> and <c>/v1/events/{id}</c>: only events of the last 30 days by the stub's clock exist,
/// and a late-visible event only from its instant on.
/// </summary>
internal static class StubEventRoutes
{
    /// <summary>How long Stripe keeps events listable and retrievable.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    /// <summary>Stripe's cap on <c>types</c>.</summary>
    public const int MaxTypes = 20;

    /// <summary>A page of events, filtered by <c>type</c> or <c>types</c> and <c>created</c>.</summary>
    public static StubAnswer List(StripeApiStub stub, HttpRequest request, StubAccount account)
    {
        // delivery_success is accepted and ignored: the stub delivers no webhooks, so it cannot know what an endpoint
        // received (and the recovery design scans by created plus types rather than trust it).
        var list = StubListRequest.Parse(request.Query, "type", "types", "delivery_success");
        if (StubListRequest.Value(request.Query, "delivery_success") is { } delivery && delivery is not ("true" or "false"))
        {
            throw StubError.Invalid("delivery_success", $"Invalid boolean: {delivery}", "parameter_invalid_boolean");
        }

        var matches = TypeFilter(request.Query);
        var exists = Exists(stub.Now());
        return StubRoutes.List(stub, request, account.Events, "/v1/events",
            list.NotBefore(RetentionStart(stub.Now())), r => exists(r) && matches(r.Type!), exists);
    }

    /// <summary>One event, or 404 "No such notification" when it does not exist (any more, or yet).</summary>
    public static StubAnswer Retrieve(StripeApiStub stub, StubAccount account, string id) =>
        account.Events.Find(id) is { } record && Exists(stub.Now())(record)
            ? StubAnswer.Object(record.Json)
            : throw StubError.NoSuch("notification", id);

    private static long RetentionStart(DateTimeOffset now) => (now - Retention).ToUnixTimeSeconds();

    private static Func<StubRecord, bool> Exists(DateTimeOffset now)
    {
        var oldest = RetentionStart(now);
        return r => r.Created >= oldest && (r.VisibleFrom is not { } from || from <= now);
    }

    // type is one name or a prefix ending in '*'; types[N] (Stripe.net's encoding) or types[] are exact names.
    private static Func<string, bool> TypeFilter(IQueryCollection query)
    {
        var type = StubListRequest.Value(query, "type");
        var types = query.Keys
            .Where(k => k == "types" || k.StartsWith("types[", StringComparison.Ordinal))
            .OrderBy(k => k, StringComparer.Ordinal)
            .SelectMany(k => query[k].Where(v => !string.IsNullOrEmpty(v)).Select(v => v!))
            .ToList();
        if (type is not null && types.Count > 0)
        {
            throw new StubError(400, "parameters_exclusive", "You may only specify one of these parameters: type, types.", "types");
        }

        if (types.Count > MaxTypes)
        {
            throw StubError.Invalid("types", $"You may only specify up to {MaxTypes} types (it currently has {types.Count}).");
        }

        if (types.Count > 0)
        {
            var names = types.ToHashSet(StringComparer.Ordinal);
            return names.Contains;
        }

        if (type is null)
        {
            return _ => true;
        }

        return type.EndsWith('*')
            ? t => t.StartsWith(type[..^1], StringComparison.Ordinal)
            : t => t == type;
    }
}
