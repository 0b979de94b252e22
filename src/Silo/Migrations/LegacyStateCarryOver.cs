using System.Text.Json;
using Billing.Grains;
using Billing.Grains.Upgrade;
using Billing.Journal.Postgres;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Serialization;

namespace Billing.Silo.Migrations;

/// <summary>
/// The step of <c>migrate</c> that runs after the scripts: carries every customer state row written by a version
/// before the journal (Orleans grain storage, state name <c>customer</c>) over to the journal, so that a running
/// deployment upgrades without losing entitlements, dedupe or undelivered fan-out (<see cref="LegacyCarryOver"/>).
/// Each row in its own transaction: the journal entry and the rewritten row (now a snapshot) commit together.
/// Idempotent: rows already carried over are not legacy any more. The consumers' old state rows (handled message
/// ids) are deleted: the journal's cursors replace them.
/// </summary>
public sealed partial class LegacyStateCarryOver(NpgsqlDataSource dataSource, ILogger<LegacyStateCarryOver> logger)
{
    private const string LegacyRows = """
        SELECT ctid::text, grainidextensionstring, payloadbinary, version
        FROM orleansstorage
        WHERE graintypestring = 'customer' AND payloadbinary IS NOT NULL
          AND convert_from(payloadbinary, 'UTF8')::jsonb ? 'AppliedEvents'
        """;

    // Orleans' own options, so that the rewritten row reads back exactly as the grain storage would have written it.
    private static readonly JsonSerializerOptions StorageJson = new SystemTextJsonGrainStorageSerializerOptions().JsonSerializerOptions;

    /// <summary>Carries every legacy row over; returns how many.</summary>
    public async Task<int> RunAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var rows = new List<(string Ctid, string CustomerId, byte[] Payload, int Version)>();
        await using (var command = dataSource.CreateCommand(LegacyRows))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (reader.IsDBNull(1))
                {
                    continue;
                }

                rows.Add((reader.GetString(0), reader.GetString(1), (byte[])reader[2], reader.GetInt32(3)));
            }
        }

        var carried = 0;
        foreach (var (ctid, customerId, payload, version) in rows)
        {
            if (LegacyCustomerState.FromPayload(payload) is { } legacy && await CarryOverAsync(ctid, customerId, legacy, version, now, cancellationToken))
            {
                carried++;
            }
        }

        await using (var consumers = dataSource.CreateCommand(
            "DELETE FROM orleansstorage WHERE graintypestring IN ('fulfillment', 'notifications')"))
        {
            await consumers.ExecuteNonQueryAsync(cancellationToken);
        }

        if (carried > 0)
        {
            LogCarried(carried);
        }

        return carried;
    }

    private async Task<bool> CarryOverAsync(string ctid, string customerId, LegacyCustomerState legacy, int version, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        long head;
        await using (var read = new NpgsqlCommand(
            "SELECT version FROM billing_journal_heads WHERE customer_id = $1 FOR UPDATE", connection, transaction))
        {
            read.Parameters.AddWithValue(customerId);
            head = await read.ExecuteScalarAsync(cancellationToken) is long found ? found : 0;
        }

        var (append, snapshot) = LegacyCarryOver.Convert(customerId, legacy, head, now, new BillingOptions());
        if (await PostgresJournalStore.AppendInTransactionAsync(connection, transaction, append, cancellationToken) != Journal.AppendOutcome.Appended)
        {
            return false;
        }

        // The same row, at the version read: a silo that rewrote it meanwhile makes this a no-op, rolled back below.
        await using (var rewrite = new NpgsqlCommand(
            "UPDATE orleansstorage SET payloadbinary = $1, version = version + 1, modifiedon = now() WHERE ctid = $2::tid AND version = $3",
            connection, transaction))
        {
            rewrite.Parameters.AddWithValue(JsonSerializer.SerializeToUtf8Bytes(snapshot, StorageJson));
            rewrite.Parameters.AddWithValue(ctid);
            rewrite.Parameters.AddWithValue(version);
            if (await rewrite.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                await transaction.RollbackAsync(cancellationToken);
                return false;
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Carried {Count} customer state row(s) of an earlier version over to the journal")]
    private partial void LogCarried(int count);
}
