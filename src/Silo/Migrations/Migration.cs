namespace Billing.Silo.Migrations;

/// <summary>One schema migration: a plain SQL script the runner applies inside a transaction.</summary>
/// <param name="Version">Position in the sequence; applied in ascending order, each exactly once.</param>
/// <param name="Name">The script's name, e.g. <c>0001_orleans_main</c>; recorded beside the version.</param>
/// <param name="Sql">The script. It must not contain transaction control (BEGIN, COMMIT, ...).</param>
public sealed record Migration(int Version, string Name, string Sql)
{
    /// <inheritdoc />
    public override string ToString() => Name;
}
