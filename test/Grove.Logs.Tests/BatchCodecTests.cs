namespace Grove.Logs.Tests;

/// <summary>The wire batch decodes to what was encoded, and bad or oversized bodies fail with stable codes.</summary>
public sealed class BatchCodecTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Decode_EncodedBatch_RoundTrips(bool compress)
    {
        var lines = LogHarness.BuildLines(1_000_000, 500);
        lines.Add(new LogLine(1_000_500, 5, "ünïcødé ✓ \t tab"));

        LogBatchCodec.Decode(LogBatchCodec.Encode(lines, compress)).ShouldBe(lines);
    }

    [Fact]
    public void Encode_Compressed_IsSmallerThanText()
    {
        var lines = LogHarness.BuildLines(0, 2000);

        LogBatchCodec.Encode(lines).Length.ShouldBeLessThan(lines.Sum(l => l.Text.Length) / 3);
    }

    [Fact]
    public void Decode_CompressionBomb_TooLargeWithoutExpandingIt()
    {
        var huge = new List<LogLine> { new(0, 0, new string('a', 4 << 20)) };
        var body = LogBatchCodec.Encode(huge);

        body.Length.ShouldBeLessThan(64 * 1024);
        Should.Throw<LogException>(() => LogBatchCodec.Decode(body, maxBytes: 1 << 20)).Code.ShouldBe(LogErrorCode.TooLarge);
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 })]
    [InlineData(new byte[] { (byte)'G', (byte)'L', (byte)'B', (byte)'1', 9, 0, 0 })]
    [InlineData(new byte[] { (byte)'G', (byte)'L', (byte)'B', (byte)'1', 0, 2, 0, 0, 0, 5 })]
    [InlineData(new byte[] { (byte)'G', (byte)'L', (byte)'B', (byte)'1', 1, 0xFF, 0xFF, 0xFF })]
    public void Decode_Garbage_InvalidBatch(byte[] body) =>
        Should.Throw<LogException>(() => LogBatchCodec.Decode(body)).Code.ShouldBe(LogErrorCode.InvalidBatch);
}
