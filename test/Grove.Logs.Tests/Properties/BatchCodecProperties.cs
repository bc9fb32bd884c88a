using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Grove.Logs.Tests.Properties;

/// <summary>
/// The log batch codec under generated input (issue 12, standing check): any batch round-trips, and any bytes (random
/// or a valid batch with bytes changed) decode or are refused as <c>invalid_batch</c> / <c>too_large</c>, never another
/// exception.
/// </summary>
public sealed class BatchCodecProperties
{
    private const int Runs = 300;

    private static readonly Gen<string> Text =
        Gen.ArrayOf(Gen.OneOf(Gen.Choose(0x20, 0x7E), Gen.Choose(0xA0, 0xD7FF), Gen.Elements(9, 13)).Select(c => (char)c))
            .Select(chars => new string(chars));

    private static readonly Gen<List<LogLine>> Batches =
        from first in Gen.Choose(0, int.MaxValue).Select(n => (long)n * 3)
        from texts in Gen.NonEmptyListOf(Text)
        from stamp in Gen.Choose(0, int.MaxValue).Select(t => t * 117_000L)
        select texts.Select((t, i) => new LogLine(first + i, stamp + i, t)).ToList();

    [Property(MaxTest = Runs)]
    public Property LogBatch_AnyLines_RoundTripCompressedAndPlain() =>
        Prop.ForAll(Batches.ToArbitrary(), ArbMap.Default.ArbFor<bool>(), (lines, compress) =>
            LogBatchCodec.Decode(LogBatchCodec.Encode(lines, compress)).SequenceEqual(lines));

    [Property(MaxTest = Runs)]
    public Property LogBatch_AnyBytes_DecodeOrRefuseCleanly() =>
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes => DecodesOrRefuses(bytes ?? []));

    [Property(MaxTest = Runs)]
    public Property LogBatch_ValidBatchWithBytesChanged_DecodeOrRefuseCleanly() =>
        Prop.ForAll(
            (from lines in Batches
             from compress in Gen.Elements(true, false)
             from flips in Gen.ListOf(Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Choose(0, 255)))
             from cut in Gen.Choose(0, 100)
             select (lines, compress, flips, cut)).ToArbitrary(),
            t =>
            {
                var bytes = LogBatchCodec.Encode(t.lines, t.compress);
                foreach (var (at, value) in t.flips)
                {
                    bytes[at % bytes.Length] = (byte)value;
                }

                return DecodesOrRefuses(bytes.AsSpan(0, Math.Max(0, bytes.Length - t.cut % 5)).ToArray());
            });

    private static bool DecodesOrRefuses(byte[] bytes)
    {
        try
        {
            return LogBatchCodec.Decode(bytes, maxBytes: 1 << 20, maxLines: 10_000) is not null;
        }
        catch (LogException e)
        {
            return e.Code is LogErrorCode.InvalidBatch or LogErrorCode.TooLarge;
        }
    }
}
