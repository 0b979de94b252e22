// Signs a Stripe event JSON file the way Stripe does and POSTs it to the gateway's webhook:
//   dotnet run --project tools/SendEvent -- <file.json> [--url URL] [--secret whsec_...] [--new-id] [--customer cus_x]
// Exit code: 0 on a 2xx answer, 1 on any other answer or no answer, 2 on bad arguments.
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

const string DefaultUrl = "http://127.0.0.1:5080/stripe/webhook";
// The same development secret ./run.sh gives the gateway when STRIPE_WEBHOOK_SECRET is not set.
const string DevSecret = "whsec_local_development_secret";

string? file = null;
var url = DefaultUrl;
var secret = Environment.GetEnvironmentVariable("STRIPE_WEBHOOK_SECRET") is { Length: > 0 } fromEnv ? fromEnv : DevSecret;
var newId = false;
string? customer = null;

for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--url" when i + 1 < args.Length: url = args[++i]; break;
        case "--secret" when i + 1 < args.Length: secret = args[++i]; break;
        case "--customer" when i + 1 < args.Length: customer = args[++i]; break;
        case "--new-id": newId = true; break;
        case "-h" or "--help": return Usage(null);
        case var arg when arg.StartsWith('-'): return Usage($"unknown or incomplete option: {arg}");
        case var arg when file is null: file = arg; break;
        default: return Usage($"unexpected argument: {args[i]}");
    }
}

if (file is null)
{
    return Usage("no event file given");
}
if (!File.Exists(file))
{
    return Usage($"no such file: {file}");
}

// Unchanged events are sent byte for byte (even invalid JSON, to try the gateway's 400); only a rewrite
// re-serializes the JSON.
var payload = await File.ReadAllTextAsync(file);
var parsed = TryParse(payload);
if (newId || customer is not null)
{
    if (parsed is not JsonObject stripeEvent || stripeEvent["data"]?["object"] is not JsonObject dataObject)
    {
        Console.Error.WriteLine($"{file} is not a Stripe event (no data.object)");
        return 2;
    }
    if (newId)
    {
        stripeEvent["id"] = "evt_" + RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 24);
    }
    if (customer is not null)
    {
        // customer.* events are about the customer object itself; every other event names its customer.
        var property = (string?)dataObject["object"] == "customer" ? "id" : "customer";
        dataObject[property] = customer;
    }
    payload = stripeEvent.ToJsonString(new() { WriteIndented = true });
}

var signature = Stripe.EventUtility.GenerateSignatureHeader(payload, secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
using var request = new HttpRequestMessage(HttpMethod.Post, url)
{
    Content = new StringContent(payload, Encoding.UTF8, "application/json"),
};
request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);

Console.WriteLine($"POST {url}  {parsed?["type"]} {parsed?["id"]}");
try
{
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
    using var response = await http.SendAsync(request);
    var body = await response.Content.ReadAsStringAsync();
    Console.WriteLine($"{(int)response.StatusCode} {response.ReasonPhrase}");
    if (body.Length > 0)
    {
        Console.WriteLine(body);
    }
    return response.IsSuccessStatusCode ? 0 : 1;
}
catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
{
    Console.Error.WriteLine($"No answer from {url}: {e.Message} (is ./run.sh running?)");
    return 1;
}

static JsonNode? TryParse(string json)
{
    try
    {
        return JsonNode.Parse(json);
    }
    catch (JsonException)
    {
        return null;
    }
}

static int Usage(string? error)
{
    if (error is not null)
    {
        Console.Error.WriteLine($"error: {error}");
    }
    Console.Error.WriteLine("""
        usage: dotnet run --project tools/SendEvent -- <event.json> [options]

        Signs a Stripe event file with a webhook secret and POSTs it, with its Stripe-Signature header.
          --url URL          webhook URL (default http://127.0.0.1:5080/stripe/webhook)
          --secret whsec_... signing secret (default: $STRIPE_WEBHOOK_SECRET, else run.sh's dev secret)
          --new-id           give the event a fresh evt_... id (a repeated id is answered "duplicate")
          --customer cus_x   send it for this customer (data.object.customer; data.object.id for customer objects)

        Samples: ../shared/fixtures/stripe/*.json
        """);
    return error is null ? 0 : 2;
}
