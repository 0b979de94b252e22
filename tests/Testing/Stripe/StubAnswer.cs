using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Billing.Testing.Stripe;

/// <summary>
/// What the stub answers one request: computed whole before anything is sent, so the request is recorded before
/// the client can see the answer (a test asserting the call count right after a call never races the recording).
/// </summary>
internal sealed record StubAnswer(int Status, string Body, string ContentType = "application/json")
{
    /// <summary>Extra response headers (the fault headers Stripe sends).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>A 200 with one object's JSON as stored.</summary>
    public static StubAnswer Object(string json) => new(200, json);

    /// <summary>A list page: <c>{"object":"list","url":…,"has_more":…,"data":[…]}</c>, items written byte-for-byte as stored.</summary>
    public static StubAnswer List(string url, StubPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var body = new StringBuilder(64 + page.Data.Sum(r => r.Json.Length + 1));
        body.Append("{\"object\":\"list\",\"url\":").Append(JsonSerializer.Serialize(url))
            .Append(",\"has_more\":").Append(page.HasMore ? "true" : "false").Append(",\"data\":[");
        for (var i = 0; i < page.Data.Count; i++)
        {
            body.Append(i == 0 ? "" : ",").Append(page.Data[i].Json);
        }

        return new StubAnswer(200, body.Append("]}").ToString());
    }

    /// <summary>Stripe's error body: <c>{"error":{"type","code","message","param"}}</c>, absent fields left out.</summary>
    public static StubAnswer Error(int status, string type, string? code, string message, string? param = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteString("type", type);
            if (code is not null)
            {
                writer.WriteString("code", code);
            }

            writer.WriteString("message", message);
            if (param is not null)
            {
                writer.WriteString("param", param);
            }

            writer.WriteString("doc_url", code is null ? "https://stripe.com/docs/api" : $"https://stripe.com/docs/error-codes/{code.Replace('_', '-')}");
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return new StubAnswer(status, Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    /// <summary>The answer for an error thrown while handling a request.</summary>
    public static StubAnswer Of(StubError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return Error(error.Status, error.Type, error.Code, error.Message, error.Param);
    }
}
