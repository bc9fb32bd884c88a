using Spectre.Console;
using Spectre.Console.Rendering;

namespace Grove.Cli.Output;

/// <summary>
/// Progress columns in the units every other grove output uses (<see cref="HumanSize"/>: KiB, MiB, GiB): Spectre's
/// own byte columns print MB for mebibytes, so the bar and the result line would disagree.
/// </summary>
internal static class ByteColumns
{
    /// <summary><c>3.0 MiB/10.0 MiB</c>.</summary>
    public sealed class Transferred : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text($"{HumanSize.Format((long)task.Value)}/{HumanSize.Format((long)task.MaxValue)}");
    }

    /// <summary><c>12.5 MiB/s</c>, blank until there is a rate.</summary>
    public sealed class Rate : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(task.Speed is { } speed ? $"{HumanSize.Format((long)speed)}/s" : "");
    }
}
