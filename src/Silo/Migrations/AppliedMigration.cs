namespace Billing.Silo.Migrations;

/// <summary>A migration recorded in <c>billing_schema_migrations</c>.</summary>
/// <param name="Version">The migration's version.</param>
/// <param name="Name">The migration's name, e.g. <c>0001_orleans_main</c>.</param>
/// <param name="AppliedAt">When the transaction that applied it ran (database clock).</param>
public sealed record AppliedMigration(int Version, string Name, DateTimeOffset AppliedAt);
