namespace Grove.Logs.Internal.Local;

/// <summary>One open segment file of a live task.</summary>
internal sealed class LocalSegment(int seq, string path, bool tail, long headEnd, FileStream file) : IDisposable
{
    public int Seq { get; } = seq;

    public string Path { get; } = path;

    public bool Tail { get; } = tail;

    public long HeadEnd { get; } = headEnd;

    public FileStream File { get; } = file;

    /// <summary>Bytes of complete, acknowledged records plus the header.</summary>
    public long Length { get; set; }

    public long TextBytes { get; set; }

    /// <summary>The first line number stored in it; -1 while it holds none.</summary>
    public long FirstLine { get; set; } = -1;

    public static string NameOf(int seq) => seq.ToString("D6", System.Globalization.CultureInfo.InvariantCulture) + ".seg";

    public void Dispose() => File.Dispose();
}
