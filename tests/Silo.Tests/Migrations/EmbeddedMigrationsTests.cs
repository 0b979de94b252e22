using System.Text.RegularExpressions;
using Billing.Silo.Migrations;

namespace Billing.Silo.Tests.Migrations;

public sealed class EmbeddedMigrationsTests
{
    [Fact]
    public void The_embedded_migrations_are_numbered_from_1_without_gaps()
    {
        var migrations = EmbeddedMigrations.All;

        Assert.Equal(Enumerable.Range(1, migrations.Count), migrations.Select(migration => migration.Version));
        Assert.Equal(
            ["0001_orleans_main", "0002_orleans_persistence", "0003_orleans_clustering", "0004_orleans_reminders"],
            migrations.Take(4).Select(migration => migration.Name));
    }

    [Fact]
    public void No_script_controls_its_own_transaction()
    {
        // The runner wraps each script in a transaction; a COMMIT inside would end it early.
        var transactionControl = new Regex(
            @"^\s*(BEGIN|START\s+TRANSACTION|COMMIT|ROLLBACK)\s*(TRANSACTION|WORK)?\s*;",
            RegexOptions.IgnoreCase | RegexOptions.Multiline);

        Assert.All(EmbeddedMigrations.All, migration => Assert.DoesNotMatch(transactionControl, migration.Sql));
    }
}
