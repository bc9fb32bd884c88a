using Grove.Logs;
using Grove.Tree;

// Appends to task logs forever and prints "ack <task> <next>" after each acknowledged batch, so a test can kill it
// with SIGKILL at an arbitrary point and check that every acknowledged line survived. Line i of a task reads
// "line <i> <task-index>" with time stamp 1,700,000,000,000 + i; batch sizes vary so records end at varied offsets.
var data = args[0];
await using var tree = await TreeService.OpenAsync(new TreeOptions { DataPath = data });
await using var logs = await LogService.OpenAsync(tree, new LogOptions { Background = false, MaxTaskBytes = 256 * 1024 });
var tasks = new List<(string Id, long Next)>();
for (var t = 0; t < 3; t++)
{
    var task = await logs.CreateAsync("crash-" + t);
    tasks.Add((task.Id, 0));
    await Console.Out.WriteLineAsync($"task {t} {task.Id}");
}

await Console.Out.FlushAsync();
for (var round = 0; ; round++)
{
    var t = round % tasks.Count;
    var (id, next) = tasks[t];
    var count = 1 + (round * 37 % 300);
    var lines = new List<LogLine>(count);
    for (var i = 0; i < count; i++)
    {
        var n = next + i;
        lines.Add(new LogLine(n, 1_700_000_000_000 + n, $"line {n} {t} " + new string('x', (int)(n % 90))));
    }

    var result = await logs.AppendAsync(id, lines);
    tasks[t] = (id, result.Next);
    await Console.Out.WriteLineAsync($"ack {t} {result.Next}");
    await Console.Out.FlushAsync();
}
