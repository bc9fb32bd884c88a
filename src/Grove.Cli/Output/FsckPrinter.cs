using Grove.Tree;

namespace Grove.Cli.Output;

/// <summary>The human and JSON forms of an fsck report.</summary>
internal static class FsckPrinter
{
    public static void WriteHuman(TextWriter output, FsckReport r)
    {
        output.WriteLine(r.Consistent ? "consistent" : "NOT consistent");
        output.WriteLine($"rows checked      {r.RowsChecked}");
        output.WriteLine($"blobs checked     {r.BlobsChecked}");
        output.WriteLine($"orphans removed   {r.OrphansRemoved}");
        output.WriteLine($"orphans young     {r.OrphansYoung}");
        output.WriteLine($"swap removed      {r.SwapRemoved}");
        output.WriteLine($"counts repaired   {r.CountsRepaired}");
        foreach (var d in r.Dangling)
        {
            output.WriteLine($"dangling          {TerminalText.Clean(d)}");
        }

        foreach (var m in r.CountMismatches)
        {
            output.WriteLine($"count mismatch    {TerminalText.Clean(m)}");
        }
    }

    public static void WriteJson(TextWriter output, FsckReport r) => JsonText.WriteLine(output, w =>
    {
        w.WriteStartObject();
        w.WriteBoolean("consistent", r.Consistent);
        w.WriteNumber("rowsChecked", r.RowsChecked);
        w.WriteNumber("blobsChecked", r.BlobsChecked);
        w.WriteNumber("orphansRemoved", r.OrphansRemoved);
        w.WriteNumber("orphansYoung", r.OrphansYoung);
        w.WriteNumber("swapRemoved", r.SwapRemoved);
        w.WriteNumber("countsRepaired", r.CountsRepaired);
        w.WriteStartArray("dangling");
        foreach (var d in r.Dangling)
        {
            w.WriteStringValue(d);
        }

        w.WriteEndArray();
        w.WriteStartArray("countMismatches");
        foreach (var m in r.CountMismatches)
        {
            w.WriteStringValue(m);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });
}
