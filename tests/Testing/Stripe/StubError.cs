namespace Billing.Testing.Stripe;

/// <summary>
/// An error Stripe would answer, thrown from deep inside a request (a bad parameter, a missing cursor) and written by
/// the stub's pipeline as <c>{"error":{type, code, message, param}}</c>.
/// </summary>
internal sealed class StubError(int status, string? code, string message, string? param = null,
    string type = "invalid_request_error") : Exception(message)
{
    /// <summary>The HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>Stripe's error code, e.g. <c>resource_missing</c>.</summary>
    public string? Code { get; } = code;

    /// <summary>The request parameter at fault.</summary>
    public string? Param { get; } = param;

    /// <summary>Stripe's error type.</summary>
    public string Type { get; } = type;

    /// <summary>A 404 for an object that does not exist (or no longer does, for events past retention).</summary>
    public static StubError NoSuch(string noun, string id) =>
        new(404, "resource_missing", $"No such {noun}: '{id}'", "id");

    /// <summary>A 400 naming the parameter whose value is wrong.</summary>
    public static StubError Invalid(string param, string message, string? code = null) =>
        new(400, code, message, param);
}
