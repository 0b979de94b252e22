using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Billing.RecoveryTool;
using Billing.Testing.Network;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
// The gateway and the silo each have a Program in the global namespace, which would win over a using directive.
using ToolProgram = Billing.RecoveryTool.Program;

namespace Billing.Gateway.Tests.Recovery;

/// <summary>
/// The recovery tool (tools/Recovery) without a Billing cluster: its command line, follow loop and output against a
/// fake admin endpoint that answers the recovery routes with canned JSON.
/// </summary>
public sealed class RecoveryToolTests
{
    private const string Key = "admin_key_for_tests";
    private static readonly DateTimeOffset Started = new(2026, 3, 1, 11, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Import_follows_its_job_from_0_to_done_and_exits_0()
    {
        await using var admin = await FakeAdmin.StartAsync();
        admin.OnStart("import", 202, Job("import_1", "import", "running", 0, 0, 0));
        admin.JobListsInTurn(
            Jobs(Job("import_1", "import", "running", 0, 0, 0), Job("poll_9", "poll", "done", null, 7, 7)),
            Jobs(Job("import_1", "import", "running", 0.5, 50_000, 50_000), Job("poll_9", "poll", "done", null, 7, 7)),
            // A newer job above it: the tool finds its own by id, not by place.
            Jobs(Job("poll_10", "poll", "running", null, 0, 0),
                Job("import_1", "import", "done", 1, 100_000, 100_000, finishedAt: Started.AddSeconds(51)), Job("poll_9", "poll", "done", null, 7, 7)));
        var run = await RunAsync(["import", "--url", admin.Url, "--key", Key]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("import import_1 done in 0:51: fetched 100,000, applied 100,000, duplicate 0, ignored 0, failed 0, repaired 0\n", run.Out);
        Assert.Contains("started import job import_1", run.Error, StringComparison.Ordinal);
        Assert.Equal(3, admin.Requests.Count(request => request.Path == "/admin/stripe/jobs"));
        Assert.Single(admin.Requests, request => request is { Method: "POST", Path: "/admin/stripe/import" });
    }

    [Fact]
    public async Task On_a_terminal_the_bar_is_redrawn_in_place_through_the_jobs_progress()
    {
        await using var admin = await FakeAdmin.StartAsync();
        admin.OnStart("import", 202, Job("import_1", "import", "running", 0, 0, 0));
        admin.JobListsInTurn(
            Jobs(Job("import_1", "import", "running", 0.5, 52_100, 52_000)),
            Jobs(Job("import_1", "import", "done", 1, 100_000, 100_000, finishedAt: Started.AddSeconds(51))));
        var run = await RunAsync(["import", "--url", admin.Url, "--key", Key], terminal: true);

        Assert.Equal(0, run.ExitCode);
        var draws = run.Error.Split('\r')[1..];
        Assert.Equal(3, draws.Length);
        Assert.StartsWith("import [--------------------]   0%  fetched 0  applied 0  dup 0  failed 0  ETA ", draws[0], StringComparison.Ordinal);
        Assert.StartsWith("import [##########----------]  50%  fetched 52,100  applied 52,000  dup 0  failed 0  ETA ", draws[1], StringComparison.Ordinal);
        Assert.Equal("import [####################] 100%  fetched 100,000  applied 100,000  dup 0  failed 0  ETA 0:00\n", draws[2].TrimEnd(' ', '\n') + "\n");
    }

    [Fact]
    public async Task A_409_follows_the_job_already_running_instead_of_failing()
    {
        await using var admin = await FakeAdmin.StartAsync();
        admin.OnStart("reconcile", 409, Job("reconcile_7", "reconcile", "running", 0.5, 40, 40, repaired: 2));
        admin.JobListsInTurn(Jobs(Job("reconcile_7", "reconcile", "done", 1, 80, 80, repaired: 3, finishedAt: Started.AddMinutes(2).AddSeconds(5))));
        var run = await RunAsync(["reconcile", "--url", admin.Url, "--key", Key]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("a reconcile job is already running (started 2026-03-01 11:00:00Z): reconcile_7; following it instead of starting another",
            run.Error, StringComparison.Ordinal);
        Assert.Equal("reconcile reconcile_7 done in 2:05: fetched 80, applied 80, duplicate 0, ignored 0, failed 0, repaired 3\n", run.Out);
    }

    [Fact]
    public async Task A_409_with_no_wait_prints_the_running_job_and_returns()
    {
        await using var admin = await FakeAdmin.StartAsync();
        admin.OnStart("import", 409, Job("import_1", "import", "running", 0.25, 25, 25));
        var run = await RunAsync(["import", "--no-wait", "--url", admin.Url, "--key", Key]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("import import_1 running 25%, started 2026-03-01 11:00:00Z: fetched 25, applied 25, duplicate 0, ignored 0, failed 0, repaired 0\n", run.Out);
        Assert.DoesNotContain(admin.Requests, request => request.Path == "/admin/stripe/jobs");
    }

    [Fact]
    public async Task A_400_prints_the_gateways_message_and_exits_1()
    {
        await using var admin = await FakeAdmin.StartAsync();
        admin.OnStart("import", 400, """{"error":"stripe_api_not_configured","message":"Stripe:ApiKey is not set on the silos: Stripe's API cannot be read"}""");
        var run = await RunAsync(["import", "--url", admin.Url, "--key", Key]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: the gateway answered 400 stripe_api_not_configured: Stripe:ApiKey is not set on the silos: Stripe's API cannot be read\n", run.Error);
        Assert.Equal("", run.Out);
        Assert.DoesNotContain(admin.Requests, request => request.Path == "/admin/stripe/jobs");
    }

    [Fact]
    public async Task A_failed_job_exits_1_with_its_last_error()
    {
        await using var admin = await FakeAdmin.StartAsync();
        admin.OnStart("backfill", 202, Job("backfill_1", "backfill", "running", 0, 0, 0));
        admin.JobListsInTurn(
            Jobs(Job("backfill_1", "backfill", "running", 0.3, 300, 290)),
            Jobs(Job("backfill_1", "backfill", "failed", 0.3, 300, 290, lastError: "Stripe answered 401: the API key was revoked",
                finishedAt: Started.AddSeconds(12))));
        var run = await RunAsync(["backfill", "--since", "2h", "--url", admin.Url, "--key", Key]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("backfill backfill_1 failed after 0:12: Stripe answered 401: the API key was revoked; " +
            "fetched 300, applied 290, duplicate 0, ignored 0, failed 0, repaired 0\n", run.Out);
    }

    [Fact]
    public async Task Backfill_sends_a_relative_since_counted_back_from_now()
    {
        await using var admin = await FakeAdmin.StartAsync();
        admin.OnStart("backfill", 202, Job("backfill_1", "backfill", "running", 0, 0, 0));
        var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var run = await RunAsync(["backfill", "--since", "2h", "--no-wait", "--url", admin.Url, "--key", Key], clock: new ManualClock(now));

        Assert.Equal(0, run.ExitCode);
        var body = JsonNode.Parse(admin.Requests.Single(request => request.Path == "/admin/stripe/backfill").Body)!;
        Assert.Equal(now.AddHours(-2), DateTimeOffset.Parse((string)body["since"]!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("2h", "2026-03-01T10:00:00+00:00")]
    [InlineData("3d", "2026-02-26T12:00:00+00:00")]
    [InlineData("90m", "2026-03-01T10:30:00+00:00")]
    [InlineData("45s", "2026-03-01T11:59:15+00:00")]
    [InlineData("2026-02-28T09:30:00Z", "2026-02-28T09:30:00+00:00")]
    [InlineData("2026-02-28T10:30:00.25+01:00", "2026-02-28T09:30:00.25+00:00")]
    [InlineData("2026-02-28 09:30:00z", "2026-02-28T09:30:00+00:00")]
    public void Since_reads_relative_and_RFC_3339_times(string text, string expected)
    {
        var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var parsed = ToolProgram.Parse(["backfill", "--since", text], _ => null, now);

        Assert.Null(parsed.Error);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), parsed.Options!.Since);
    }

    [Theory]
    [InlineData("backfill")]
    [InlineData("backfill", "--since", "2026-02-28T09:30:00")]
    [InlineData("backfill", "--since", "2w")]
    [InlineData("backfill", "--since", "0h")]
    [InlineData("backfill", "--since", "-2h")]
    [InlineData("import", "--since", "2h")]
    [InlineData("jobs", "--no-wait")]
    [InlineData("restore")]
    [InlineData("import", "extra")]
    [InlineData("import", "--url")]
    [InlineData("import", "--url", "ftp://example.com")]
    [InlineData("import", "--key", "two words")]
    [InlineData("import", "--verbose")]
    [InlineData]
    public async Task Bad_arguments_print_the_usage_and_exit_2(params string[] args)
    {
        var run = await RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("usage: dotnet run --project tools/Recovery -- <command>", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_bearer_key_is_sent_from_the_option_or_the_environment_and_a_wrong_one_exits_1()
    {
        await using var admin = await FakeAdmin.StartAsync(requiredKey: Key);
        admin.JobListsInTurn(Jobs());

        var fromOption = await RunAsync(["jobs", "--url", admin.Url, "--key", Key]);
        var fromEnvironment = await RunAsync(["jobs"], environment: new() { ["BILLING_ADMIN_URL"] = admin.Url, ["BILLING_ADMIN_KEY"] = Key });
        var wrong = await RunAsync(["jobs", "--url", admin.Url, "--key", "not_the_key"]);
        var none = await RunAsync(["jobs", "--url", admin.Url]);

        Assert.Equal(0, fromOption.ExitCode);
        Assert.Equal(0, fromEnvironment.ExitCode);
        Assert.Equal("no recovery jobs in the last 7 days\n", fromEnvironment.Out);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Equal("error: the gateway answered 401 unauthorized: an Authorization: Bearer <key> header is required\n", wrong.Error);
        Assert.Equal(1, none.ExitCode);
        Assert.EndsWith("(no key was given: pass --key or set BILLING_ADMIN_KEY)\n", none.Error, StringComparison.Ordinal);
        Assert.Equal(new[] { $"Bearer {Key}", $"Bearer {Key}", "Bearer not_the_key", null }, admin.Requests.Select(request => request.Authorization));
    }

    [Fact]
    public async Task Jobs_prints_a_table_newest_first()
    {
        await using var admin = await FakeAdmin.StartAsync();
        admin.JobListsInTurn(Jobs(
            Job("reconcile_2", "reconcile", "running", 0.42, 1_200, 1_180, repaired: 4),
            Job("import_1", "import", "failed", null, 10, 9, lastError: "Stripe answered 401", finishedAt: Started.AddSeconds(3))));
        var run = await RunAsync(["jobs", "--url", admin.Url, "--key", Key]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            """
            ID           KIND       STATE    STARTED               PROGRESS  FETCHED  APPLIED  DUP  IGNORED  FAILED  REPAIRED  LAST ERROR
            reconcile_2  reconcile  running  2026-03-01 11:00:00Z       42%    1,200    1,180    0        0       0         4
            import_1     import     failed   2026-03-01 11:00:00Z         -       10        9    0        0       0         0  Stripe answered 401

            """, run.Out);
    }

    [Fact]
    public async Task Drift_prints_the_check_and_a_line_per_drift()
    {
        await using var admin = await FakeAdmin.StartAsync();
        admin.Drift = """
            {"checked_at":"2026-03-01T11:30:00Z","customers_checked":12345,"drifts":[
              {"customer_id":"cus_1","detected_at":"2026-03-01T11:29:00Z",
               "billing":{"subscriptions":{"sub_1":"active"},"access":"ACTIVE","entitlements":["pro"]},
               "stripe":{"subscriptions":{"sub_1":"canceled","sub_2":"trialing"},"access":"ACTIVE","entitlements":["basic"]},"repaired":true},
              {"customer_id":"acct_9/cus_2","detected_at":"2026-03-01T11:28:00Z",
               "billing":{"subscriptions":{"sub_3":"past_due"},"access":"GRACE","entitlements":null},
               "stripe":{"subscriptions":{"sub_3":"unpaid"},"access":"SUSPENDED","entitlements":null},"repaired":false}]}
            """;
        var run = await RunAsync(["drift", "--url", admin.Url, "--key", Key]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            """
            checked at 2026-03-01 11:30:00Z: 12,345 customers checked
            2 drifts in the last 7 days:
            cus_1  detected 2026-03-01 11:29:00Z  sub_1: active → canceled, sub_2: (none) → trialing  access ACTIVE → ACTIVE  entitlements pro → basic  repaired yes
            acct_9/cus_2  detected 2026-03-01 11:28:00Z  sub_3: past_due → unpaid  access GRACE → SUSPENDED  repaired no

            """, run.Out);
    }

    [Fact]
    public async Task Ctrl_C_stops_following_and_says_the_job_goes_on()
    {
        await using var admin = await FakeAdmin.StartAsync();
        admin.OnStart("import", 202, Job("import_1", "import", "running", 0, 0, 0));
        admin.JobListsInTurn(Jobs(Job("import_1", "import", "running", 0.1, 10, 10)));
        using var interrupt = new CancellationTokenSource();
        var following = RunAsync(["import", "--url", admin.Url, "--key", Key], cancellationToken: interrupt.Token);
        // Pressed while following, not while starting.
        await admin.FirstJobListRead.WaitAsync(TimeSpan.FromSeconds(30));
        await interrupt.CancelAsync();
        var run = await following;

        Assert.Equal(130, run.ExitCode);
        Assert.EndsWith("stopped following import_1: the job goes on in the cluster (the jobs command shows it)\n", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void The_bar_renders_progress_counts_and_the_estimate()
    {
        Assert.Equal("import [##########----------]  52%  fetched 52,100  applied 52,000  dup 0  failed 0  ETA 0:24",
            ProgressBar.Render("import", new JobCounts(52_100, 52_000, 0, 0, 0, 0), 0.52, TimeSpan.FromSeconds(24), TimeSpan.FromSeconds(26)));
        Assert.Equal("backfill [--------------------]   0%  fetched 0  applied 0  dup 0  failed 0  ETA -:--",
            ProgressBar.Render("backfill", new JobCounts(0, 0, 0, 0, 0, 0), 0, null, TimeSpan.Zero));
        Assert.Equal("import [####################] 100%  fetched 1,000,000  applied 999,990  dup 10  failed 0  ETA 0:00",
            ProgressBar.Render("import", new JobCounts(1_000_000, 999_990, 10, 0, 0, 0), 1, TimeSpan.Zero, TimeSpan.FromHours(1)));
        Assert.Equal("reconcile [###-----------------]  19%  fetched 190  applied 190  dup 0  failed 1  repaired 7  ETA 1:02:03",
            ProgressBar.Render("reconcile", new JobCounts(190, 190, 0, 0, 1, 7), 0.199, new TimeSpan(1, 2, 3), TimeSpan.FromMinutes(3)));
    }

    [Fact]
    public void Without_progress_the_bar_shows_the_counts_and_the_time_elapsed()
    {
        Assert.Equal("poll  fetched 1,200  applied 1,100  dup 3  failed 0  elapsed 1:05",
            ProgressBar.Render("poll", new JobCounts(1_200, 1_100, 3, 97, 0, 0), null, null, TimeSpan.FromSeconds(65)));
    }

    [Fact]
    public void The_estimate_follows_the_rate_progress_moves_at_while_followed()
    {
        var clock = new ManualClock(Started.AddMinutes(10));
        using var error = new StringWriter { NewLine = "\n" };
        var bar = new ProgressBar(error, redraw: true, columns: null, clock, TimeSpan.FromSeconds(5));

        // First sight: 10% after 10 minutes since the job started, so 90 more minutes at its average rate.
        bar.Show(Job(0.1));
        clock.Advance(TimeSpan.FromSeconds(10));
        // Then 10% more in 10 s: 80% left is 80 s at the rate seen while following.
        bar.Show(Job(0.2));
        bar.Finish();

        Assert.Equal(
            "\rimport [##------------------]  10%  fetched 10  applied 10  dup 0  failed 0  ETA 1:30:00" +
            "\rimport [####----------------]  20%  fetched 10  applied 10  dup 0  failed 0  ETA 1:20   \n",
            error.ToString());

        static JobInfo Job(double progress) =>
            new("import_1", "import", "running", Started, null, new JobCounts(10, 10, 0, 0, 0, 0), progress, null);
    }

    [Fact]
    public void Off_a_terminal_a_plain_line_is_written_every_5_seconds()
    {
        var clock = new ManualClock(Started);
        using var error = new StringWriter { NewLine = "\n" };
        var bar = new ProgressBar(error, redraw: false, columns: null, clock, TimeSpan.FromSeconds(5));
        var job = new JobInfo("poll_1", "poll", "running", Started, null, new JobCounts(0, 0, 0, 0, 0, 0), null, null);

        for (var second = 0; second <= 12; second++)
        {
            bar.Show(job);
            clock.Advance(TimeSpan.FromSeconds(1));
        }
        bar.Finish();

        Assert.Equal("poll  fetched 0  applied 0  dup 0  failed 0  elapsed 0:00\n" +
            "poll  fetched 0  applied 0  dup 0  failed 0  elapsed 0:05\n" +
            "poll  fetched 0  applied 0  dup 0  failed 0  elapsed 0:10\n", error.ToString());
    }

    private static async Task<ToolRun> RunAsync(string[] args, bool terminal = false, TimeProvider? clock = null,
        Dictionary<string, string>? environment = null, CancellationToken cancellationToken = default)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        var context = new ToolContext(output, error, terminal, null, name => environment?.GetValueOrDefault(name), clock ?? TimeProvider.System)
        {
            // Fast enough for a test; the pace itself is not what these tests are about.
            PollInterval = TimeSpan.FromMilliseconds(20),
        };
        var exitCode = await ToolProgram.RunAsync(args, context, cancellationToken);
        return new ToolRun(exitCode, output.ToString(), error.ToString());
    }

    private static string Job(string id, string kind, string state, double? progress, long fetched, long applied, long repaired = 0,
        string? lastError = null, DateTimeOffset? finishedAt = null) =>
        new JsonObject
        {
            ["id"] = id,
            ["kind"] = kind,
            ["state"] = state,
            ["started_at"] = Started.UtcDateTime,
            ["finished_at"] = finishedAt?.UtcDateTime,
            ["counts"] = new JsonObject
            {
                ["fetched"] = fetched, ["applied"] = applied, ["duplicate"] = 0, ["ignored"] = 0, ["failed"] = 0, ["repaired"] = repaired,
            },
            ["progress"] = progress,
            ["last_error"] = lastError,
        }.ToJsonString();

    private static string Jobs(params string[] jobs) => $$"""{"jobs":[{{string.Join(",", jobs)}}]}""";

    private sealed record ToolRun(int ExitCode, string Out, string Error);

    private sealed record Request(string Method, string Path, string? Authorization, string Body);

    /// <summary>A clock that moves only when told (timers still run on real time).</summary>
    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    /// <summary>
    /// The gateway's recovery routes, answering canned JSON: each start route what <see cref="OnStart"/> set, the jobs
    /// list each of <see cref="JobListsInTurn"/>'s answers in turn (the last one for ever after), the drift <see cref="Drift"/>.
    /// </summary>
    private sealed class FakeAdmin : IAsyncDisposable
    {
        private readonly ConcurrentDictionary<string, (int Status, string Json)> _starts = new();
        private readonly ConcurrentQueue<Request> _requests = new();
        private readonly string? _requiredKey;
        private readonly object _gate = new();
        private readonly TaskCompletionSource _firstJobListRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Queue<string> _jobLists = new();
        private string _lastJobList = """{"jobs":[]}""";
        private WebApplication? _app;

        private FakeAdmin(string? requiredKey) => _requiredKey = requiredKey;

        public string Url { get; private set; } = "";

        public string Drift { get; set; } = """{"checked_at":null,"customers_checked":0,"drifts":[]}""";

        public IReadOnlyList<Request> Requests => [.. _requests];

        /// <summary>Completes when the jobs list is first read: the tool is following.</summary>
        public Task FirstJobListRead => _firstJobListRead.Task;

        public static async Task<FakeAdmin> StartAsync(string? requiredKey = null)
        {
            var admin = new FakeAdmin(requiredKey);
            var app = LoopbackWebApp.CreateBuilder().Build();
            app.Map("/{**path}", admin.HandleAsync);
            await app.StartAsync();
            admin._app = app;
            admin.Url = LoopbackWebApp.AddressOf(app).ToString();
            return admin;
        }

        public void OnStart(string kind, int status, string json) => _starts[kind] = (status, json);

        public void JobListsInTurn(params string[] answers)
        {
            lock (_gate)
            {
                _jobLists = new Queue<string>(answers);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }
        }

        private async Task HandleAsync(HttpContext context)
        {
            var request = context.Request;
            using var reader = new StreamReader(request.Body);
            var authorization = request.Headers.Authorization.Count > 0 ? request.Headers.Authorization.ToString() : null;
            _requests.Enqueue(new Request(request.Method, request.Path.Value ?? "", authorization, await reader.ReadToEndAsync()));

            var (status, json) = Answer(request.Method, request.Path.Value ?? "", authorization);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(json);
        }

        private (int Status, string Json) Answer(string method, string path, string? authorization)
        {
            if (_requiredKey is not null && authorization != $"Bearer {_requiredKey}")
            {
                return (401, """{"error":"unauthorized","message":"an Authorization: Bearer <key> header is required"}""");
            }

            if (method == "POST" && path.StartsWith("/admin/stripe/", StringComparison.Ordinal)
                && _starts.TryGetValue(path["/admin/stripe/".Length..], out var start))
            {
                return start;
            }

            if (method == "GET" && path == "/admin/stripe/jobs")
            {
                lock (_gate)
                {
                    if (_jobLists.TryDequeue(out var next))
                    {
                        _lastJobList = next;
                    }
                    _firstJobListRead.TrySetResult();
                    return (200, _lastJobList);
                }
            }

            return method == "GET" && path == "/admin/drift"
                ? (200, Drift)
                : (404, """{"error":"not_found","message":"no such route"}""");
        }
    }
}
