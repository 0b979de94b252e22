namespace Billing.ServiceDefaults;

/// <summary>
/// Recognises the values templates put where a secret belongs (<c>CHANGE_ME</c> in deploy/k8s/secrets.example.yaml,
/// <c>&lt;your-key&gt;</c> in docs): a host configured with one would run "protected" by a key anybody can read.
/// </summary>
public static class PlaceholderSecrets
{
    private static readonly string[] Markers = ["change_me", "changeme", "change-me", "replace_me", "replaceme", "placeholder", "your_key", "your-key"];

    /// <summary>Whether <paramref name="value"/> is empty or still a template's placeholder.</summary>
    public static bool IsPlaceholder(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        var trimmed = value.Trim();
        if (trimmed.StartsWith('<') && trimmed.EndsWith('>'))
        {
            return true;
        }

        foreach (var marker in Markers)
        {
            if (trimmed.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
