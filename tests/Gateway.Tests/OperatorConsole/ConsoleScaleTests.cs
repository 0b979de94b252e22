using System.Diagnostics;
using System.Globalization;
using System.Net;
using Npgsql;
using Xunit.Abstractions;

namespace Billing.Gateway.Tests.OperatorConsole;

/// <summary>
/// Each console page with 100,000 customers in the journal: bounded, indexed reads, so the time does not grow with the
/// table. Times are measured at the client over loopback (an upper bound of the server's), median of several requests
/// after a warm-up, and printed; the bound asserted leaves room for these 2 shared cores.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleScaleTests(ConsoleStackFixture fixture, ITestOutputHelper output)
{
    private const int Customers = 100_000;

    [Fact]
    public async Task Every_page_answers_in_bounded_time_with_100000_customers()
    {
        await SeedAsync();
        var seeded = await fixture.SeedCustomerAsync();
        var deadLetter = await fixture.DeadLetterAsync($"cus_scale_dl_{Guid.NewGuid():N}"[..24], 1);
        using var client = new ConsoleClient(fixture.BaseAddress);
        await client.SignInAsync(ConsoleStackFixture.Key);
        var customerUrl = "/console/customer?id=" + Uri.EscapeDataString(seeded.CustomerId);

        var pages = new (string Name, string Path, HttpStatusCode Status)[]
        {
            ("overview", "/console", HttpStatusCode.OK),
            ("search by subscription", "/console/customers?q=sub_scale_77777", HttpStatusCode.Redirect),
            ("search by event", "/console/customers?q=evt_scale_88888_2", HttpStatusCode.Redirect),
            ("search, nothing found", "/console/customers?q=evt_nowhere", HttpStatusCode.OK),
            ("customer", customerUrl, HttpStatusCode.OK),
            ("customer with as-of", customerUrl + "&at=" + Uri.EscapeDataString(seeded.Between.ToString("O")), HttpStatusCode.OK),
            ("dead letters", "/console/dead-letters?state=all", HttpStatusCode.OK),
            ("dead letter", $"/console/dead-letters/{deadLetter}", HttpStatusCode.OK),
            ("recovery", "/console/recovery", HttpStatusCode.OK),
        };

        foreach (var (name, path, status) in pages)
        {
            var times = new List<double>();
            for (var i = 0; i < 6; i++)
            {
                var clock = Stopwatch.StartNew();
                var (response, _) = await client.GetAsync(path);
                clock.Stop();
                Assert.Equal(status, response.StatusCode);
                if (i > 0)
                {
                    times.Add(clock.Elapsed.TotalMilliseconds);
                }
            }

            times.Sort();
            var median = times[times.Count / 2];
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-24} median {median,6:F1} ms, max {times[^1],6:F1} ms"));
            Assert.True(median < 200, $"{name}: median {median:F1} ms");
        }
    }

    // 100,000 customers with two journal entries each, written straight into the tables (as the writer would, minus
    // the folding: these customers are only searched, never opened).
    private async Task SeedAsync()
    {
        await using var connection = await fixture.Stack.Database.DataSource.OpenConnectionAsync();
        await using (var exists = new NpgsqlCommand("SELECT count(*) FROM billing_journal WHERE customer_id LIKE 'cus_scale_%'", connection))
        {
            if ((long)(await exists.ExecuteScalarAsync())! >= Customers)
            {
                return;
            }
        }

        await using var seed = new NpgsqlCommand($$"""
            INSERT INTO billing_journal (customer_id, version, event_id, event_type, source, created, recorded_at, facts, effects)
            SELECT 'cus_scale_' || g, v, 'evt_scale_' || g || '_' || v, 'customer.subscription.updated', 'webhook', now(), now(),
                   json_build_object('event', json_build_object('id', 'evt_scale_' || g || '_' || v, 'subscription', json_build_object('id', 'sub_scale_' || g))),
                   '{}'::json
            FROM generate_series(1, {{Customers}}) AS g, generate_series(1, 2) AS v;
            ANALYZE billing_journal;
            """, connection) { CommandTimeout = 300 };
        await seed.ExecuteNonQueryAsync();
    }
}
