using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Billing.Testing.Stripe;

/// <summary>
/// The parameters every Stripe list shares (<c>limit</c>, <c>starting_after</c>, <c>ending_before</c>,
/// <c>created</c> and <c>created[gt|gte|lt|lte]</c>), parsed and checked as Stripe checks them.
/// </summary>
internal sealed record StubListRequest(int Limit, string? StartingAfter, string? EndingBefore, long CreatedFrom, long CreatedTo)
{
    private static readonly string[] Common = ["limit", "starting_after", "ending_before", "created"];

    /// <summary>
    /// Parses the query. A parameter outside the common ones and <paramref name="filters"/> is refused, as Stripe
    /// refuses unknown ones: a product sending a parameter the stub ignores would otherwise pass a test it should fail.
    /// </summary>
    public static StubListRequest Parse(IQueryCollection query, params string[] filters)
    {
        ArgumentNullException.ThrowIfNull(query);
        foreach (var key in query.Keys)
        {
            var name = BaseName(key);
            if (!Common.Contains(name) && !filters.Contains(name))
            {
                throw new StubError(400, "parameter_unknown", $"Received unknown parameter: {key}", key);
            }
        }

        var limit = 10;
        if (Value(query, "limit") is { } limitText)
        {
            limit = Integer("limit", limitText) switch
            {
                < 1 => throw StubError.Invalid("limit", "This value must be greater than or equal to 1."),
                > 100 and var n => throw StubError.Invalid("limit", $"This value must be less than or equal to 100 (it currently is '{n}')."),
                var n => (int)n,
            };
        }

        var startingAfter = Value(query, "starting_after");
        var endingBefore = Value(query, "ending_before");
        if (startingAfter is not null && endingBefore is not null)
        {
            throw new StubError(400, "parameters_exclusive",
                "You may only specify one of these parameters: ending_before, starting_after.", "ending_before");
        }

        var (from, to) = CreatedRange(query);
        return new StubListRequest(limit, startingAfter, endingBefore, from, to);
    }

    /// <summary>A parameter's value, or null when absent or empty (Stripe treats <c>x=</c> as not given).</summary>
    public static string? Value(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.ToString() is { Length: > 0 } value ? value : null;

    /// <summary>An integer parameter, refused as Stripe refuses one that is not.</summary>
    public static long Integer(string param, string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw StubError.Invalid(param, $"Invalid integer: {text}", "parameter_invalid_integer");

    /// <summary>This request with its created range narrowed to start no earlier than <paramref name="from"/>.</summary>
    public StubListRequest NotBefore(long from) => this with { CreatedFrom = Math.Max(CreatedFrom, from) };

    // "types[0]" and "types[]" are "types"; "created[gte]" is "created".
    private static string BaseName(string key) => key.IndexOf('[', StringComparison.Ordinal) is > 0 and var at ? key[..at] : key;

    private static (long From, long To) CreatedRange(IQueryCollection query)
    {
        long from = long.MinValue, to = long.MaxValue;
        foreach (var key in query.Keys.Where(k => BaseName(k) == "created"))
        {
            if (Value(query, key) is not { } text)
            {
                continue;
            }

            var value = Integer(key, text);
            switch (key)
            {
                case "created":
                    (from, to) = (Math.Max(from, value), Math.Min(to, value));
                    break;
                case "created[gt]":
                    from = Math.Max(from, value + 1);
                    break;
                case "created[gte]":
                    from = Math.Max(from, value);
                    break;
                case "created[lt]":
                    to = Math.Min(to, value - 1);
                    break;
                case "created[lte]":
                    to = Math.Min(to, value);
                    break;
                default:
                    throw new StubError(400, "parameter_unknown", $"Received unknown parameter: {key}", key);
            }
        }

        return (from, to);
    }
}
