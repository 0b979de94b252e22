namespace Billing.Deploy.Tests.Infrastructure;

/// <summary>A Dockerfile read as its instructions, split into stages (enough for the checks here).</summary>
internal sealed class Dockerfile
{
    private Dockerfile(string path, IReadOnlyList<DockerStage> stages)
    {
        Path = path;
        Stages = stages;
    }

    /// <summary>The file, relative to the repository root.</summary>
    public string Path { get; }

    /// <summary>The stages, in order.</summary>
    public IReadOnlyList<DockerStage> Stages { get; }

    /// <summary>The stage the image is made of.</summary>
    public DockerStage Final => Stages[^1];

    /// <summary>Reads <paramref name="path"/> (line continuations joined, comments and blank lines dropped).</summary>
    public static Dockerfile Load(string path)
    {
        var stages = new List<DockerStage>();
        var logical = "";
        foreach (var raw in Repository.Read(path).Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                logical += line[..^1] + " ";
                continue;
            }

            logical += line;
            var space = logical.IndexOf(' ', StringComparison.Ordinal);
            var instruction = new DockerInstruction(
                (space < 0 ? logical : logical[..space]).ToUpperInvariant(),
                space < 0 ? "" : logical[(space + 1)..].Trim());
            logical = "";

            if (instruction.Keyword == "FROM")
            {
                var words = instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var image = words.First(w => !w.StartsWith("--", StringComparison.Ordinal));
                var name = words.Length >= 3 && words[^2].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[^1] : null;
                stages.Add(new DockerStage(image, name, []));
            }
            else
            {
                Assert.True(stages.Count > 0, $"{path}: {instruction.Keyword} before any FROM");
                stages[^1].Instructions.Add(instruction);
            }
        }

        return new Dockerfile(path, stages);
    }
}

/// <summary>One <c>FROM</c> and what follows it.</summary>
internal sealed record DockerStage(string BaseImage, string? Name, List<DockerInstruction> Instructions)
{
    /// <summary>The arguments of every instruction <paramref name="keyword"/> of this stage.</summary>
    public IEnumerable<string> ArgumentsOf(string keyword) =>
        Instructions.Where(i => i.Keyword == keyword).Select(i => i.Arguments);
}

/// <summary>One instruction: keyword (upper case) and its arguments.</summary>
internal sealed record DockerInstruction(string Keyword, string Arguments);
