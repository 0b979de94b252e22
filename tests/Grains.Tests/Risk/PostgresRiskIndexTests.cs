using System.Diagnostics;
using Billing.Grains.Risk;
using Billing.Testing.Postgres;
using Xunit.Abstractions;

namespace Billing.Grains.Tests.Risk;

/// <summary>The at-risk index on a real, migrated PostgreSQL database (migration 0009), and its list with 100,000 rows.</summary>
public sealed class PostgresRiskIndexTests(PostgresRiskIndexTests.Database database, ITestOutputHelper output)
    : RiskIndexContract, IClassFixture<PostgresRiskIndexTests.Database>
{
    private const int Rows = 100_000;

    /// <inheritdoc/>
    protected override async Task<IRiskIndex> CreateAsync()
    {
        await using var clear = database.Database.DataSource.CreateCommand("TRUNCATE billing_risk_index");
        await clear.ExecuteNonQueryAsync();
        return new PostgresRiskIndex(database.Database.DataSource);
    }

    [Fact]
    public async Task A_page_of_50_among_100000_customers_is_read_well_within_200_ms()
    {
        var index = await CreateAsync();
        // 100,000 customers at risk, scores 10..150 in steps of 10, spread over 30 days, like the grains write them.
        await using (var fill = database.Database.DataSource.CreateCommand(
            $"""
            INSERT INTO billing_risk_index (customer_id, score, band, cancelling, reasons, updated_at, expires_at)
            SELECT 'cus_perf_' || lpad(i::text, 6, '0'), s, CASE WHEN s >= 70 THEN 'high' WHEN s >= 40 THEN 'medium' ELSE 'low' END,
                   i % 17 = 0, jsonb_build_array(jsonb_build_object('code', 'past_due', 'points', s, 'detail', 'subscription sub_x is past_due')),
                   timestamptz '2026-11-01' + (i * interval '25 seconds'), NULL
            FROM generate_series(1, {Rows}) AS i, LATERAL (SELECT 10 * (1 + (i * 7919) % 15) AS s) AS score
            """))
        {
            await fill.ExecuteNonQueryAsync();
        }

        await using (var analyze = database.Database.DataSource.CreateCommand("ANALYZE billing_risk_index"))
        {
            await analyze.ExecuteNonQueryAsync();
        }

        var now = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        await index.ListAsync(50, null, now); // warm the connection and the plan
        var first = await TimeAsync(() => index.ListAsync(50, null, now));
        var page = first.Page;
        var seen = page.Customers.Select(c => c.CustomerId).ToList();
        for (var i = 1; i < 20; i++)
        {
            page = await index.ListAsync(50, RiskCursor.Decode(page.NextCursor), now);
            seen.AddRange(page.Customers.Select(c => c.CustomerId));
        }

        // Deep in the list: the cursor after row 60,000.
        var deepCursor = await RowCursorAsync(60_000);
        var deep = await TimeAsync(() => index.ListAsync(50, deepCursor, now));

        var plan = await PlanAsync(deepCursor);
        output.WriteLine($"first page: {first.Elapsed.TotalMilliseconds:F2} ms (median of 15); page after row 60,000: {deep.Elapsed.TotalMilliseconds:F2} ms");
        output.WriteLine(plan);
        Assert.Contains("Index Scan Backward using ix_billing_risk_index_list", plan, StringComparison.Ordinal);
        Assert.Equal(50, first.Page.Customers.Length);
        Assert.Equal(150, first.Page.Customers[0].Assessment.Score);
        Assert.Equal(1000, seen.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(50, deep.Page.Customers.Length);
        Assert.True(first.Elapsed < TimeSpan.FromMilliseconds(200), $"first page took {first.Elapsed.TotalMilliseconds} ms");
        Assert.True(deep.Elapsed < TimeSpan.FromMilliseconds(200), $"deep page took {deep.Elapsed.TotalMilliseconds} ms");
    }

    private async Task<RiskCursor> RowCursorAsync(int offset)
    {
        await using var command = database.Database.DataSource.CreateCommand(
            "SELECT score, updated_at, customer_id FROM billing_risk_index ORDER BY score DESC, updated_at DESC, customer_id DESC OFFSET $1 LIMIT 1");
        command.Parameters.Add(new Npgsql.NpgsqlParameter<int> { TypedValue = offset });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return new RiskCursor(reader.GetInt32(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2));
    }

    // The next page's query as PostgreSQL plans it: a walk of the index from the cursor, never a sort of the table.
    private async Task<string> PlanAsync(RiskCursor cursor)
    {
        await using var command = database.Database.DataSource.CreateCommand(
            """
            EXPLAIN SELECT customer_id FROM billing_risk_index
            WHERE (expires_at IS NULL OR expires_at > now()) AND (score, updated_at, customer_id) < ($1, $2, $3)
            ORDER BY score DESC, updated_at DESC, customer_id DESC LIMIT 51
            """);
        command.Parameters.Add(new Npgsql.NpgsqlParameter<int> { TypedValue = cursor.Score });
        command.Parameters.Add(new Npgsql.NpgsqlParameter<DateTimeOffset> { TypedValue = cursor.UpdatedAt });
        command.Parameters.Add(new Npgsql.NpgsqlParameter<string> { TypedValue = cursor.CustomerId });
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }

    // The median of 15 reads: one slow read on this shared machine says little about the query.
    private static async Task<(AtRiskPage Page, TimeSpan Elapsed)> TimeAsync(Func<Task<AtRiskPage>> read)
    {
        var times = new List<TimeSpan>();
        AtRiskPage? page = null;
        for (var i = 0; i < 15; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            page = await read();
            times.Add(stopwatch.Elapsed);
        }

        times.Sort();
        return (page!, times[times.Count / 2]);
    }

    /// <summary>One migrated database for the class.</summary>
    public sealed class Database() : TestDatabaseFixture("risk_index");
}
