using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Billing.Bench.LoadGenerator.JournalCheck;

/// <summary>
/// <c>journal-check</c>: bench/run.sh runs the silo's <c>verify-journal</c> after everything else and hands its
/// output here, which prints the check under the tables, adds it to the results file (and its failures), and exits
/// 1 on any drift: a journal that no longer folds to what it recorded is a failure of the run.
/// </summary>
internal static partial class JournalCheckCommand
{
    private const int ShownExamples = 10;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        string? log = null, output = null, database = "billing_bench";
        int? exitCode = null;
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            switch (args[i])
            {
                case "--log": log = args[i + 1]; break;
                case "--out": output = args[i + 1]; break;
                case "--database": database = args[i + 1]; break;
                case "--exit-code" when int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var code): exitCode = code; break;
                default: return Usage($"unexpected {args[i]} {args[i + 1]}");
            }
        }

        if (log is null || exitCode is null || args.Count % 2 != 0)
        {
            return Usage("--log FILE and --exit-code N are required");
        }

        var lines = File.Exists(log) ? await File.ReadAllLinesAsync(log) : [];
        var result = Parse(database, exitCode.Value, lines);
        Print(result, log, Console.Out);
        if (output is not null && File.Exists(output))
        {
            await RecordAsync(output, result);
        }

        return result.Passed ? 0 : 1;
    }

    private static JournalCheckResult Parse(string database, int exitCode, string[] lines)
    {
        var index = Array.FindIndex(lines, line => line.StartsWith("verify-journal: ", StringComparison.Ordinal));
        if (index < 0 || Summary().Match(lines[index]) is not { Success: true } match)
        {
            return new JournalCheckResult(database, exitCode, index < 0 ? null : lines[index], null, null, null, null, []);
        }

        long Number(int group) => long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
        var examples = lines.Skip(index + 1).Where(line => line.StartsWith("  ", StringComparison.Ordinal)).Select(line => line.Trim()).ToList();
        return new JournalCheckResult(database, exitCode, lines[index], Number(1), Number(2), Number(3), Number(4), examples);
    }

    private static void Print(JournalCheckResult result, string log, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"Journal check: verify-journal on {result.Database} after everything, with the silo's configuration (plan catalog included)");
        output.WriteLine($"  {result.Line ?? $"(no summary line: see {log})"}");
        foreach (var example in result.Examples.Take(ShownExamples))
        {
            output.WriteLine($"    {example}");
        }

        output.WriteLine(result.Passed
            ? "  PASS"
            : $"Result: FAILED: journal check: {Failure(result)}");
    }

    // The results file gets the check, and its failure joins the run's failures.
    private static async Task RecordAsync(string path, JournalCheckResult result)
    {
        if (JsonNode.Parse(await File.ReadAllTextAsync(path)) is not JsonObject report)
        {
            return;
        }

        report["journal_check"] = JsonSerializer.SerializeToNode(result, Json);
        if (!result.Passed && report["failures"] is JsonArray failures)
        {
            failures.Add((JsonNode)$"journal check: {Failure(result)}");
        }

        await File.WriteAllTextAsync(path, report.ToJsonString(Json));
    }

    private static string Failure(JournalCheckResult result) =>
        result.Mismatches is { } mismatches
            ? $"verify-journal found {mismatches} mismatches (exit code {result.ExitCode})"
            : $"verify-journal printed no summary (exit code {result.ExitCode})";

    private static int Usage(string error)
    {
        Console.Error.WriteLine($"error: {error}");
        Console.Error.WriteLine("usage: Billing.Bench.LoadGenerator journal-check --log VERIFY_JOURNAL_OUTPUT --exit-code N [--out RESULTS.json] [--database NAME]");
        return 2;
    }

    [GeneratedRegex(@"^verify-journal: (\d+) customers, (\d+) entries folded again, (\d+) mismatches, (\d+) customers skipped")]
    private static partial Regex Summary();
}
