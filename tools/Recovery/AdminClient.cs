using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Billing.RecoveryTool;

/// <summary>
/// The gateway's recovery admin routes over HTTP. Every non-success answer becomes an <see cref="AdminApiException"/>
/// carrying the gateway's <c>{"error", "message"}</c>; network failures surface as <see cref="HttpRequestException"/>.
/// </summary>
internal sealed class AdminClient : IDisposable
{
    /// <summary>How long one request may take: the admin routes answer from the store, so longer means trouble.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;

    /// <summary>A client of the gateway at <paramref name="baseUrl"/>, sending <paramref name="key"/> as a bearer token when given.</summary>
    public AdminClient(Uri baseUrl, string? key, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        // A trailing slash keeps a path prefix (a gateway behind a proxy at /billing/) when the routes are resolved.
        var root = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.BaseAddress = root;
        _http.Timeout = RequestTimeout;
        if (!string.IsNullOrEmpty(key))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        HasKey = !string.IsNullOrEmpty(key);
    }

    /// <summary>Whether a key is sent (to hint at it when the gateway answers 401).</summary>
    public bool HasKey { get; }

    /// <summary>The gateway's address, for messages.</summary>
    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary>
    /// <c>POST /admin/stripe/{kind}</c> (<paramref name="since"/> for a backfill): the job started, or the one of that kind
    /// already running (409).
    /// </summary>
    public async Task<StartResult> StartAsync(string kind, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        using var content = since is { } from ? JsonContent.Create(new BackfillBody(from), AdminJson.Default.BackfillBody) : null;
        using var response = await _http.PostAsync(new Uri($"admin/stripe/{kind}", UriKind.Relative), content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            return new StartResult(Parse(body, AdminJson.Default.JobInfo), AlreadyRunning: false);
        }

        // A 409 is either the running job or, when another gateway was starting one at that very moment, an error.
        if (response.StatusCode == HttpStatusCode.Conflict && IsJob(body))
        {
            return new StartResult(Parse(body, AdminJson.Default.JobInfo), AlreadyRunning: true);
        }

        throw Failure(response, body);
    }

    /// <summary><c>GET /admin/stripe/jobs</c>: the jobs of the last 7 days, newest first.</summary>
    public async Task<IReadOnlyList<JobInfo>> ListJobsAsync(CancellationToken cancellationToken) =>
        (await GetAsync("admin/stripe/jobs", AdminJson.Default.JobList, cancellationToken)).Jobs;

    /// <summary><c>GET /admin/drift</c>: the latest reconciliation and the drifts of the last 7 days.</summary>
    public Task<DriftReport> GetDriftAsync(CancellationToken cancellationToken) =>
        GetAsync("admin/drift", AdminJson.Default.DriftReport, cancellationToken);

    /// <summary>
    /// What went wrong, in a sentence for the operator, for the failures this client produces; null for anything else
    /// (a bug, which should surface with its stack trace).
    /// </summary>
    public string? Describe(Exception exception) => exception switch
    {
        AdminApiException api => $"the gateway answered {api.Status} {Formatting.OneLine(api.Error)}: {Formatting.OneLine(api.Message)}",
        HttpRequestException http => $"cannot reach the gateway at {BaseAddress}: {Formatting.OneLine(http.Message)}",
        // HttpClient reports its timeout as a cancellation; the caller's own cancellation is handled before this.
        TaskCanceledException => $"the gateway at {BaseAddress} did not answer within {Formatting.Duration(RequestTimeout)}",
        JsonException json => $"the gateway's answer is not what this tool understands: {Formatting.OneLine(json.Message)}",
        _ => null,
    };

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();

    private async Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode ? Parse(body, type) : throw Failure(response, body);
    }

    private static T Parse<T>(string body, JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(body, type) ?? throw new JsonException("the answer was JSON null");

    private static bool IsJob(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("id", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private AdminApiException Failure(HttpResponseMessage response, string body)
    {
        ErrorAnswer? answer = null;
        try
        {
            answer = JsonSerializer.Deserialize(body, AdminJson.Default.ErrorAnswer);
        }
        catch (JsonException)
        {
            // Not the gateway's error JSON (a proxy's page, an older gateway's 404): the status line says enough.
        }

        var status = (int)response.StatusCode;
        var message = answer?.Message ?? answer?.Error ?? $"{response.ReasonPhrase} from {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}";
        if (response.StatusCode == HttpStatusCode.Unauthorized && !HasKey)
        {
            message += " (no key was given: pass --key or set BILLING_ADMIN_KEY)";
        }
        return new AdminApiException(status, answer?.Error ?? "http_" + status.ToString(CultureInfo.InvariantCulture), message);
    }
}

/// <summary>What a start route answered.</summary>
/// <param name="Job">The job to follow.</param>
/// <param name="AlreadyRunning">True when the gateway answered 409: a job of that kind was already running, and no other started.</param>
internal sealed record StartResult(JobInfo Job, bool AlreadyRunning);

/// <summary>The gateway answered an error.</summary>
internal sealed class AdminApiException : Exception
{
    /// <summary>An error of HTTP status <paramref name="status"/>, code <paramref name="error"/>.</summary>
    public AdminApiException(int status, string error, string message) : base(message)
    {
        Status = status;
        Error = error;
    }

    /// <summary>The HTTP status.</summary>
    public int Status { get; }

    /// <summary>The gateway's error code, or <c>http_&lt;status&gt;</c> when it gave none.</summary>
    public string Error { get; }

    /// <summary>Whether asking again later may succeed (the gateway or a proxy in front of it is struggling).</summary>
    public bool IsTransient => Status >= 500 || Status == 429 || Status == 408;
}
