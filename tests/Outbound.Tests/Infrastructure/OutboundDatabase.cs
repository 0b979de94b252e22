using Billing.Testing.Postgres;
using Npgsql;

namespace Billing.Outbound.Tests.Infrastructure;

/// <summary>One migrated database (migration 0005 included) for the tests of a class; each test uses its own message ids.</summary>
public sealed class OutboundDatabase() : TestDatabaseFixture("outbound")
{
    /// <summary>How many dead letters <paramref name="messageId"/> has.</summary>
    public async Task<long> CountDeadLettersAsync(string messageId)
    {
        await using var command = Database.DataSource.CreateCommand("SELECT count(*) FROM billing_dead_letters WHERE message_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = messageId });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
