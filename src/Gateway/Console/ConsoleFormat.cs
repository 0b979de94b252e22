using System.Globalization;

namespace Billing.Gateway.OperatorConsole;

/// <summary>How the console writes values: times in UTC, RFC 3339 without fractions.</summary>
public static class ConsoleFormat
{
    /// <summary><c>2026-12-01 17:30:05Z</c>; an em dash for none.</summary>
    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "—";

    /// <summary><see cref="Time(DateTimeOffset?)"/> for a UTC <see cref="DateTime"/>.</summary>
    public static string Time(DateTime? time) =>
        time is { } t ? Time(new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc))) : "—";

    /// <summary>The console's URL of a customer (a Connect customer's slash is escaped into the query).</summary>
    public static string CustomerUrl(string customerId) => "/console/customer?id=" + Uri.EscapeDataString(customerId);

    /// <summary>At most <paramref name="length"/> characters of <paramref name="text"/>, with an ellipsis when cut.</summary>
    public static string Excerpt(string? text, int length = 160) =>
        text is null ? string.Empty : text.Length <= length ? text : string.Concat(text.AsSpan(0, length), "…");

    /// <summary>A window's length as people say it: <c>15 min</c>, <c>1 h</c>, <c>24 h</c>.</summary>
    public static string Window(TimeSpan window) =>
        window.TotalMinutes < 60 ? $"{window.TotalMinutes:0} min" : $"{window.TotalHours:0.#} h";
}
