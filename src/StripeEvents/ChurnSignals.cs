using System.Text.Json;
using static Billing.StripeEvents.JsonFields;

namespace Billing.StripeEvents;

/// <summary>
/// What churn risk reads from a subscription event beyond its status: whether a payment method would pay the next
/// invoice, and whether <c>previous_attributes</c> show a downgrade. Only what the payload shows; unknown stays unknown.
/// </summary>
internal static class ChurnSignals
{
    // Rough months per billing interval, only to compare a plan change across intervals (monthly to yearly).
    private static readonly Dictionary<string, double> MonthsPer = new(StringComparer.Ordinal)
    {
        ["day"] = 1 / 30.0, ["week"] = 7 / 30.0, ["month"] = 1, ["year"] = 12,
    };

    /// <summary>
    /// True when the subscription's <c>default_payment_method</c> or <c>default_source</c>, or an expanded customer's
    /// <c>invoice_settings.default_payment_method</c> or <c>default_source</c>, is set; false when the subscription
    /// shows them empty (and the customer, if expanded, too); null when the payload has none of these fields.
    /// </summary>
    public static bool? HasPaymentMethod(JsonElement subscription)
    {
        bool? known = Check(subscription, null, "default_payment_method", "default_source");
        if (known == true)
        {
            return true;
        }

        if (TryObject(subscription, "customer", out var customer))
        {
            known = TryObject(customer, "invoice_settings", out var settings) ? Check(settings, known, "default_payment_method") : known;
            known = known == true ? true : Check(customer, known, "default_source");
        }

        return known;
    }

    /// <summary>
    /// Whether <paramref name="previous"/> (the event's <c>previous_attributes</c>) shows the subscription was worth more
    /// before: a higher total of price × quantity per month, or, when prices carry no amount (tiered), the same prices at
    /// a higher total quantity. False when the payload cannot tell.
    /// </summary>
    public static bool Downgraded(JsonElement subscription, JsonElement previous)
    {
        if (previous.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var quantity = Int64(subscription, "quantity");
        var previousQuantity = Int64(previous, "quantity") ?? quantity;
        if (ItemList(previous) is { } previousItems && ItemList(subscription) is { } items)
        {
            if (MonthlyAmount(previousItems, previousQuantity) is { } before && MonthlyAmount(items, quantity) is { } after)
            {
                return before > after;
            }

            var (beforePrices, beforeUnits) = Units(previousItems, previousQuantity);
            var (afterPrices, afterUnits) = Units(items, quantity);
            return beforePrices.SetEquals(afterPrices) && beforeUnits > afterUnits;
        }

        // Single-plan subscriptions (API versions before items): a top-level plan and quantity.
        if (TryObject(previous, "plan", out var previousPlan) && TryObject(subscription, "plan", out var plan) &&
            Monthly(previousPlan) is { } previousPrice && Monthly(plan) is { } price)
        {
            return previousPrice * (previousQuantity ?? 1) > price * (quantity ?? 1);
        }

        return Int64(previous, "quantity") is { } was && quantity is { } now && was > now;
    }

    private static bool? Check(JsonElement element, bool? known, params string[] names)
    {
        foreach (var name in names)
        {
            if (HasValue(element, name))
            {
                return true;
            }

            if (IsNull(element, name))
            {
                known = false;
            }
        }

        return known;
    }

    private static JsonElement? ItemList(JsonElement subscription) =>
        TryObject(subscription, "items", out var items) && items.TryGetProperty("data", out var list) && list.ValueKind == JsonValueKind.Array
            ? list
            : null;

    private static double? MonthlyAmount(JsonElement items, long? subscriptionQuantity)
    {
        var total = 0.0;
        foreach (var item in items.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !(TryObject(item, "price", out var price) || TryObject(item, "plan", out price)) ||
                Monthly(price) is not { } amount)
            {
                return null;
            }

            total += amount * (Int64(item, "quantity") ?? subscriptionQuantity ?? 1);
        }

        return total;
    }

    private static (HashSet<string> Prices, long Units) Units(JsonElement items, long? subscriptionQuantity)
    {
        var prices = new HashSet<string>(StringComparer.Ordinal);
        long units = 0;
        foreach (var item in items.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object))
        {
            if (TryObject(item, "price", out var price) || TryObject(item, "plan", out price))
            {
                prices.Add(String(price, "id") ?? string.Empty);
            }

            units += Int64(item, "quantity") ?? subscriptionQuantity ?? 1;
        }

        return (prices, units);
    }

    // A price's (unit_amount, recurring.interval) or a plan's (amount, interval) amount per month; null when unknown.
    private static double? Monthly(JsonElement price)
    {
        if ((Int64(price, "unit_amount") ?? Int64(price, "amount")) is not { } amount)
        {
            return null;
        }

        var recurring = TryObject(price, "recurring", out var r) ? r : price;
        var interval = String(recurring, "interval");
        var count = Int64(recurring, "interval_count") is { } c and > 0 ? c : 1;
        var months = interval is not null && MonthsPer.TryGetValue(interval, out var m) ? m * count : 1;
        return amount / months;
    }
}
