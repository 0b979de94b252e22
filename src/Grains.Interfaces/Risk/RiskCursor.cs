using System.Globalization;
using System.Text;

namespace Billing.Grains.Risk;

/// <summary>
/// A position in the at-risk list, which is ordered by score (highest first), then by most recent change, then by
/// customer key (descending): the next page starts strictly after it. Opaque to callers (base64url).
/// </summary>
/// <param name="Score">The last row's score.</param>
/// <param name="UpdatedAt">The last row's change time (microseconds).</param>
/// <param name="CustomerId">The last row's customer key.</param>
public sealed record RiskCursor(int Score, DateTimeOffset UpdatedAt, string CustomerId)
{
    /// <summary>The largest page.</summary>
    public const int MaxLimit = 500;

    /// <summary>The page size when none is asked for.</summary>
    public const int DefaultLimit = 50;

    /// <summary>The cursor after the row of <paramref name="customerId"/>.</summary>
    public static RiskCursor After(int score, DateTimeOffset updatedAt, string customerId) => new(score, updatedAt, customerId);

    /// <summary>The opaque text of this cursor.</summary>
    public string Encode()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{Score}|{UpdatedAt.UtcTicks}|{CustomerId}");
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Reads <paramref name="text"/>; null when it is not a cursor this class wrote.</summary>
    public static RiskCursor? Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            var base64 = text.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(base64)).Split('|', 3);
            return parts.Length == 3 &&
                   int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var score) &&
                   long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks) &&
                   ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks && parts[2].Length > 0
                ? new RiskCursor(score, new DateTimeOffset(ticks, TimeSpan.Zero), parts[2])
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether a row comes after this cursor in the list's order (score descending, change time descending, customer key
    /// descending, ordinal).
    /// </summary>
    public bool Precedes(int score, DateTimeOffset updatedAt, string customerId) =>
        score < Score || (score == Score && (updatedAt < UpdatedAt || (updatedAt == UpdatedAt && string.CompareOrdinal(customerId, CustomerId) < 0)));
}
