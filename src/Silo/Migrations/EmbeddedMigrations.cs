using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Billing.Silo.Migrations;

/// <summary>
/// The migrations compiled into this assembly: <c>Migrations/Scripts/NNNN_name.sql</c>, embedded by
/// <c>Silo.csproj</c> under the logical name <c>Billing.Migrations.NNNN_name.sql</c>.
/// </summary>
public static partial class EmbeddedMigrations
{
    private const string ResourcePrefix = "Billing.Migrations.";

    private static readonly Lazy<IReadOnlyList<Migration>> Loaded = new(() => Load(typeof(EmbeddedMigrations).Assembly));

    /// <summary>Every embedded migration, in ascending version order.</summary>
    public static IReadOnlyList<Migration> All => Loaded.Value;

    /// <summary>Reads the migrations embedded in <paramref name="assembly"/>, in ascending version order.</summary>
    /// <exception cref="InvalidOperationException">A script is misnamed, or two share a version.</exception>
    public static IReadOnlyList<Migration> Load(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);

        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var fileName = resource[ResourcePrefix.Length..];
            var match = ScriptName().Match(fileName);
            if (!match.Success)
            {
                throw new InvalidOperationException(
                    $"Embedded migration '{fileName}' is not named NNNN_lower_case_name.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Embedded migration '{resource}' could not be opened.");
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(
                int.Parse(match.Groups["version"].Value, NumberStyles.None, CultureInfo.InvariantCulture),
                Path.GetFileNameWithoutExtension(fileName),
                reader.ReadToEnd()));
        }

        migrations.Sort((left, right) => left.Version.CompareTo(right.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
            {
                throw new InvalidOperationException(
                    $"Migrations '{migrations[i - 1].Name}' and '{migrations[i].Name}' share version {migrations[i].Version}.");
            }
        }

        return migrations;
    }

    [GeneratedRegex(@"^(?<version>[0-9]{4})_[a-z0-9_]+\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex ScriptName();
}
