namespace Billing.Silo.Migrations;

/// <summary><c>dotnet run --project src/Silo -- migrate</c>: applies the schema, then exits.</summary>
internal static class MigrateCommand
{
    public static Task<int> RunAsync(string[] args) => throw new NotImplementedException("migrate is being written");
}
