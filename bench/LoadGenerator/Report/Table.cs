using System.Globalization;

namespace Billing.Bench.LoadGenerator.Report;

/// <summary>Plain-text table rows and the number formats every table shares.</summary>
internal static class Table
{
    /// <summary>The width of the first column unless a table says otherwise.</summary>
    public const int FirstWidth = 18;

    /// <summary>A row: the first cell left-aligned, the others right-aligned in 10 characters.</summary>
    public static void Row(TextWriter output, string first, params string[] rest) => Row(output, FirstWidth, first, rest);

    /// <summary>A row whose first column is <paramref name="firstWidth"/> wide.</summary>
    public static void Row(TextWriter output, int firstWidth, string first, params string[] rest) =>
        output.WriteLine(("  " + first.PadRight(firstWidth) + string.Concat(rest.Select(cell => $"{cell,10}"))).TrimEnd());

    public static string N(double value, int decimals = 0) =>
        value.ToString(decimals == 0 ? "N0" : $"N{decimals}", CultureInfo.InvariantCulture);

    public static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    public static string Ratio(double product, double other) =>
        other > 0 ? (product / other).ToString("0.00x", CultureInfo.InvariantCulture) : "-";

    public static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);

    public static string Codes(IReadOnlyDictionary<string, long> codes) =>
        codes.Count == 0 ? "0" : string.Join(" ", codes.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}:{kv.Value}"));
}
