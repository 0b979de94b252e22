using System.Text.Json;
using System.Text.Json.Nodes;

namespace Billing.Outbound;

/// <summary>
/// What a dead letter keeps once its retention is over, and what the admin API ever shows of an endpoint. A
/// receiver's answer may quote anything (an email, a name); a body's URLs may be bearer links to personal data (a
/// hosted invoice URL opens a page with the customer's name, email and address); an endpoint's path or query may
/// carry a receiver's token. Ids, types, target, customer, status code and times are kept.
/// </summary>
public static class DeadLetterRedaction
{
    /// <summary>An endpoint as it may be shown and kept: scheme, host and port, never user info, path or query.</summary>
    public static string Origin(string endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Authority}" : "(invalid endpoint)";

    /// <summary>The error of a purged dead letter: its status code only, none of the receiver's answer.</summary>
    public static string Error(int? statusCode) => statusCode is { } code ? $"HTTP {code}" : "(purged)";

    /// <summary>
    /// The body of a purged dead letter: the JSON without any property that holds a URL (named <c>url</c> or
    /// <c>…_url</c>, at any depth); empty when the body is not JSON.
    /// </summary>
    public static string Body(string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return string.Empty;
        }

        try
        {
            var node = JsonNode.Parse(body);
            DropUrls(node);
            return node?.ToJsonString() ?? string.Empty;
        }
        catch (JsonException)
        {
            return string.Empty;
        }
    }

    private static void DropUrls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject json:
                foreach (var name in json.Select(property => property.Key).Where(IsUrl).ToList())
                {
                    json.Remove(name);
                }

                foreach (var (_, value) in json)
                {
                    DropUrls(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    DropUrls(item);
                }

                break;
        }
    }

    private static bool IsUrl(string name) =>
        name.Equals("url", StringComparison.OrdinalIgnoreCase) || name.EndsWith("_url", StringComparison.OrdinalIgnoreCase);
}
