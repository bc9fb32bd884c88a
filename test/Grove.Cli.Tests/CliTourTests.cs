using System.Text.Json;
using Grove.Cli.Tests.Infrastructure;

namespace Grove.Cli.Tests;

/// <summary>One session through every verb in a fresh data folder, the way a person would use the tool.</summary>
public sealed class CliTourTests : IDisposable
{
    private readonly GroveRunner _g = new();

    public void Dispose() => _g.Dispose();

    [Fact]
    public async Task FullTour_FreshDataFolder_EveryVerbBehaves()
    {
        (await _g.RunAsync("init")).ShouldSucceed().Out.ShouldContain(_g.DataPath);
        File.Exists(Path.Join(_g.DataPath, "index.db")).ShouldBeTrue();
        (await _g.RunAsync("mkdir", "-p", "/docs/2025/q1")).ShouldSucceed();

        // put from disk, small and over 4 MB, then get both back byte-identical.
        var small = _g.TextFile("notes.txt", "hello grove\n");
        var big = _g.RandomFile("big.bin", (5 * 1024 * 1024) + 123);
        (await _g.RunAsync("put", small, "/docs/notes.txt")).ShouldSucceed().Out.ShouldContain("/docs/notes.txt");
        (await _g.RunAsync("put", "big.bin", "/docs/")).ShouldSucceed().Out.ShouldContain("/docs/big.bin");
        var back = _g.Temp.Combine("back.bin");
        (await _g.RunAsync("get", "/docs/big.bin", back)).ShouldSucceed();
        File.ReadAllBytes(back).ShouldBe(File.ReadAllBytes(big));
        var downloads = _g.Temp.Dir("dl");
        (await _g.RunAsync("get", "/docs/notes.txt", "dl")).ShouldSucceed();
        File.ReadAllText(Path.Join(downloads, "notes.txt")).ShouldBe("hello grove\n");
        (await _g.RunAsync("cat", "/docs/notes.txt")).ShouldSucceed().Out.ShouldBe("hello grove\n");

        // ls as a table and as JSON.
        var table = (await _g.RunAsync("ls", "/docs")).ShouldSucceed().Lines;
        table[0].ShouldStartWith("MODE");
        table.Count.ShouldBe(4);
        table[1].ShouldStartWith("drwxr-xr-x");
        table[1].ShouldEndWith(" 2025/");
        table[2].ShouldStartWith("-rw-r--r--");
        table[2].ShouldContain("5.0 MiB");
        table[2].ShouldEndWith(" big.bin");
        table[3].ShouldContain("12 B");
        var listing = Json((await _g.RunAsync("--json", "ls", "/docs")).ShouldSucceed().Out);
        listing.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("nm").GetString()).ShouldBe(["2025", "big.bin", "notes.txt"]);
        listing.GetProperty("items")[0].GetProperty("race").GetString().ShouldBe("DIR");
        listing.GetProperty("items")[1].GetProperty("len").GetInt64().ShouldBe((5 * 1024 * 1024) + 123);
        listing.GetProperty("next").ValueKind.ShouldBe(JsonValueKind.Null);

        // stat by path (exact bytes) and by id.
        var stat = (await _g.RunAsync("stat", "/docs/big.bin")).ShouldSucceed().Out;
        stat.ShouldContain("5,243,003 bytes (5.0 MiB)");
        var id = Json((await _g.RunAsync("stat", "/docs/notes.txt", "--json")).ShouldSucceed().Out).GetProperty("id").GetString()!;
        (await _g.RunAsync("stat", id)).ShouldSucceed().Lines[0].ShouldBe("path     /docs/notes.txt");

        // meta set / get / unset with typed values.
        (await _g.RunAsync("meta", "set", "/docs/notes.txt", "n=42", "ok=true", "tags=[1,2]", "title=Hello", "quoted=\"7\"")).ShouldSucceed();
        var meta = Json((await _g.RunAsync("meta", "get", "/docs/notes.txt", "--json")).ShouldSucceed().Out);
        meta.GetProperty("n").GetInt64().ShouldBe(42);
        meta.GetProperty("ok").GetBoolean().ShouldBeTrue();
        meta.GetProperty("tags").GetArrayLength().ShouldBe(2);
        meta.GetProperty("title").GetString().ShouldBe("Hello");
        meta.GetProperty("quoted").GetString().ShouldBe("7");
        (await _g.RunAsync("meta", "get", "/docs/notes.txt", "title")).ShouldSucceed().Out.ShouldBe("Hello\n");
        (await _g.RunAsync("meta", "unset", "/docs/notes.txt", "ok", "title")).ShouldSucceed();
        var after = Json((await _g.RunAsync("meta", "get", "/docs/notes.txt", "--json")).ShouldSucceed().Out);
        after.TryGetProperty("ok", out _).ShouldBeFalse();
        after.TryGetProperty("title", out _).ShouldBeFalse();
        after.GetProperty("n").GetInt64().ShouldBe(42);

        // find with a WnQuery.
        var found = Json((await _g.RunAsync("find", "--where", "{\"n\":\"[40,50]\"}", "--json")).ShouldSucceed().Out);
        found.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("ph").GetString()).ShouldBe(["/docs/notes.txt"]);

        // mv into an existing directory, like Unix mv.
        (await _g.RunAsync("mkdir", "/archive")).ShouldSucceed();
        (await _g.RunAsync("mv", "/docs/notes.txt", "/archive")).ShouldSucceed().Out.ShouldContain("/archive/notes.txt");
        (await _g.RunAsync("stat", "/archive/notes.txt")).ShouldSucceed();
        (await _g.RunAsync("stat", "/docs/notes.txt")).ShouldFail(2, "not_found");

        // rm of a non-empty directory needs -r.
        (await _g.RunAsync("rm", "/docs")).ShouldFail(2, "not_empty");
        (await _g.RunAsync("rm", "-r", "/docs")).ShouldSucceed();
        (await _g.RunAsync("stat", "/docs/big.bin")).ShouldFail(2, "not_found");

        // mount a real folder; ls shows its files. dao(x) needs record set x.
        var real = _g.Temp.Dir("real");
        File.WriteAllText(Path.Join(real, "r1.txt"), "one");
        File.WriteAllText(Path.Join(real, "r2.txt"), "two!");
        (await _g.RunAsync("mkdir", "/mnt")).ShouldSucceed();
        (await _g.RunAsync("mount", "/mnt", "file://" + real)).ShouldSucceed();
        var mounted = (await _g.RunAsync("ls", "/mnt")).ShouldSucceed().Lines;
        mounted.Skip(1).Select(l => l.Split(' ')[^1]).ShouldBe(["r1.txt", "r2.txt"]);
        (await _g.RunAsync("cat", "/mnt/r2.txt")).ShouldSucceed().Out.ShouldBe("two!");
        (await _g.RunAsync("mount", "/m2", "dao(x)")).ShouldFail(2, "not_found");
        (await _g.RunAsync("stat", "/m2")).ShouldFail(2, "not_found");

        // mount on a missing directory creates it, as the README's tour does.
        (await _g.RunAsync("mount", "/scratch", "mem")).ShouldSucceed().Out.ShouldContain("mounted mem on /scratch");
        (await _g.RunAsync("unmount", "/mnt")).ShouldSucceed();
        File.Exists(Path.Join(real, "r1.txt")).ShouldBeTrue();

        // fsck and sweep.
        var fsck = (await _g.RunAsync("fsck")).ShouldSucceed();
        fsck.Lines[0].ShouldBe("consistent");
        Json((await _g.RunAsync("fsck", "--json")).ShouldSucceed().Out).GetProperty("consistent").GetBoolean().ShouldBeTrue();
        (await _g.RunAsync("sweep")).ShouldSucceed().Out.ShouldBe("removed 0 expired objects\n");
    }

    private static JsonElement Json(string text)
    {
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }
}
