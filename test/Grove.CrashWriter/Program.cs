using Grove.Tree;

// Writes forever into a data folder and prints "ack <i> <sha256>" after each acknowledged write, so a test can kill
// it with SIGKILL at an arbitrary point and then check that every acknowledged write survived.
var data = args[0];
await using var tree = await TreeService.OpenAsync(new TreeOptions { DataPath = data, OrphanGrace = TimeSpan.Zero });
var stdout = Console.Out;
for (var i = 0; ; i++)
{
    // Sizes alternate between inline (in the index row) and bucket blobs, some shared so de-duplication is exercised.
    var size = (i % 4) switch { 0 => 100, 1 => 70_000, 2 => 300_000, _ => 1 << 20 };
    var bytes = new byte[size];
    new Random(i % 7).NextBytes(bytes);
    var obj = await tree.WriteAsync($"/crash/d{i % 10}/f{i}", bytes);
    if (i % 5 == 4)
    {
        await stdout.WriteLineAsync($"deleting {i - 4}");
        await stdout.FlushAsync();
        await tree.DeleteAsync($"/crash/d{(i - 4) % 10}/f{i - 4}");
        await stdout.WriteLineAsync($"del {i - 4}");
    }

    await stdout.WriteLineAsync($"ack {i} {obj.Sha256}");
    await stdout.FlushAsync();
}
