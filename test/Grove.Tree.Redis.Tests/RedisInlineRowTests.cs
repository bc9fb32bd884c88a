using StackExchange.Redis;
using Xunit.Abstractions;

namespace Grove.Tree.Redis.Tests;

/// <summary>Content inside a row of the Redis index (what a queue's pushed message and an empty file keep there).</summary>
public sealed class RedisInlineRowTests(ITestOutputHelper output) : RedisTestBase(output)
{
    [Fact]
    public async Task Create_EmptyFile_InlineRowThatMovesAndIsRewrittenIntoTheBucket()
    {
        if (Unavailable) return;
        await Tree.MkdirAsync("/s");
        await Tree.MountAsync("/s", $"redis({Key})");
        var made = await Tree.CreateAsync("/s/empty.txt", ObjectRace.File);
        var db = (await RedisConnections.GetAsync(RedisServer.Configuration, "test")).GetDatabase();
        var row = (RedisKey)$"grove:{Key}:o:{made.Id.Split(':')[^1]}";

        (await db.HashGetAsync(row, "il")).ToString().ShouldBe("0");
        (await Tree.ReadAllBytesAsync("/s/empty.txt")).ShouldBeEmpty();
        await Tree.MoveAsync("/s/empty.txt", "/s/d/moved.txt");
        (await db.HashGetAsync(row, "il")).ToString().ShouldBe("0");
        (await Tree.ReadAllBytesAsync("/s/d/moved.txt")).ShouldBeEmpty();

        await Tree.WriteAsync("/s/d/moved.txt", Bytes(10));

        (await db.HashExistsAsync(row, "il")).ShouldBeFalse();
        (await db.HashExistsAsync(row, "inl")).ShouldBeFalse();
        (await Tree.ReadAllBytesAsync("/s/d/moved.txt")).ShouldBe(Bytes(10));
        (await Tree.FsckAsync()).Consistent.ShouldBeTrue();
    }
}
