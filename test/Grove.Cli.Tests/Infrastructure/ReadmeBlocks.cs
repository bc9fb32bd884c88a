using System.Text;
using System.Text.RegularExpressions;

namespace Grove.Cli.Tests.Infrastructure;

/// <summary>
/// The <c>```bash</c> blocks of the README, in order, with the README line each starts on. A block right after a
/// <c>&lt;!-- README test: skip (why) --&gt;</c> comment is not run (the reason is required); every other one is.
/// </summary>
internal sealed partial class ReadmeBlocks
{
    private ReadmeBlocks(string path, IReadOnlyList<Block> blocks)
    {
        Path = path;
        All = blocks;
    }

    /// <summary>A fenced block: its number (from 1), the README line of its first line, its lines, and why it is skipped.</summary>
    public sealed record Block(int Number, int FirstLine, IReadOnlyList<string> Lines, string? SkipReason);

    public string Path { get; }

    public IReadOnlyList<Block> All { get; }

    public IEnumerable<Block> Runnable => All.Where(b => b.SkipReason is null);

    /// <summary>The repository's README.md, found above the test's folder.</summary>
    public static ReadmeBlocks Load()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Join(dir.FullName, "Grove.slnx")))
            {
                return Parse(System.IO.Path.Join(dir.FullName, "README.md"));
            }
        }

        throw new InvalidOperationException($"no Grove.slnx above {AppContext.BaseDirectory}");
    }

    public static ReadmeBlocks Parse(string path)
    {
        var lines = File.ReadAllLines(path);
        var blocks = new List<Block>();
        string? previous = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Trim() == "```bash")
            {
                var skip = previous is null ? null : Skip().Match(previous);
                if (previous is not null && previous.Contains("README test", StringComparison.Ordinal) && skip is not { Success: true })
                {
                    throw new InvalidOperationException($"README.md line {i}: write 'README test: skip (why)' to skip a block");
                }

                var body = new List<string>();
                var first = i + 2;
                for (i++; i < lines.Length && lines[i].Trim() != "```"; i++)
                {
                    body.Add(lines[i]);
                }

                blocks.Add(new Block(blocks.Count + 1, first, body, skip is { Success: true } ? skip.Groups[1].Value : null));
            }

            if (line.Trim().Length > 0)
            {
                previous = line.Trim();
            }
        }

        return new ReadmeBlocks(path, blocks);
    }

    /// <summary>
    /// The runnable blocks as one bash script (they share variables and the working folder, as when pasted into one
    /// terminal), each README line at a known script line. A failing command stops it and prints its script line.
    /// </summary>
    public string Script(Func<string, string> edit, out Func<int, Block?> blockOfLine, out Func<int, int> readmeLineOf)
    {
        var script = new StringBuilder();
        script.AppendLine("set -eo pipefail");
        script.AppendLine("trap 'echo \"@@README-FAILED line=$LINENO status=$?\" >&2' ERR");
        script.AppendLine("trap 'kill $(jobs -p) 2>/dev/null || true' EXIT");
        var map = new List<(int ScriptLine, Block Block, int ReadmeLine)>();
        var at = 4;
        foreach (var block in Runnable)
        {
            for (var k = 0; k < block.Lines.Count; k++)
            {
                script.AppendLine(edit(block.Lines[k]));
                map.Add((at++, block, block.FirstLine + k));
            }
        }

        blockOfLine = n => map.FirstOrDefault(m => m.ScriptLine == n).Block;
        readmeLineOf = n => map.FirstOrDefault(m => m.ScriptLine == n).ReadmeLine;
        return script.ToString();
    }

    [GeneratedRegex(@"^<!-- README test: skip \((.+)\) -->$")]
    private static partial Regex Skip();
}
