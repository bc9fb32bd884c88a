using Grove.Queues.Internal;

namespace Grove.Queues.Tests;

/// <summary>Ids, names and secrets a push or claim draws from the per-thread random buffer.</summary>
public sealed class SecretBytesTests
{
    [Fact]
    public void Id_ManyDrawnOverSeveralRefills_PlainIdsAndNoneRepeated()
    {
        var ids = Enumerable.Range(0, 2000).Select(_ => SecretBytes.Id()).ToList();

        ids.ShouldAllBe(id => ObjectIds.IsPlain(id));
        ids.Distinct().Count().ShouldBe(ids.Count);
    }

    [Fact]
    public void TimedName_AnyTime_ThirteenDigitsADashAndEightHexDigitsAValidName()
    {
        var name = SecretBytes.TimedName(1_764_900_000_123);
        var early = SecretBytes.TimedName(42);

        name.ShouldMatch("^1764900000123-[0-9a-f]{8}$");
        early.ShouldMatch("^0000000000042-[0-9a-f]{8}$");
        TreeNames.IsValidName(name).ShouldBeTrue();
        name.ShouldNotBe(SecretBytes.TimedName(1_764_900_000_123));
    }

    [Fact]
    public async Task ReadHead_SeekableShorterLongerAndUnseekable_TheFirstBytesUpToTheMost()
    {
        var bytes = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
        var positioned = new MemoryStream(bytes) { Position = 10 };

        (await RedisMessages.ReadHeadAsync(new MemoryStream(bytes, writable: false), 301, default)).ShouldBe(bytes);
        (await RedisMessages.ReadHeadAsync(new MemoryStream(bytes, writable: false), 100, default)).ShouldBe(bytes[..100]);
        (await RedisMessages.ReadHeadAsync(positioned, 1000, default)).ShouldBe(bytes[10..]);
        (await RedisMessages.ReadHeadAsync(new BufferedStream(new MemoryStream(bytes), 7), 1000, default)).ShouldBe(bytes);
    }
}
