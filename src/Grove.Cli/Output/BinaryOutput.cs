using System.Text;

namespace Grove.Cli.Output;

/// <summary>
/// File content on standard output. When stdout is a <see cref="StreamWriter"/> (the real console), bytes go to its
/// stream unchanged; any other writer (a test's <see cref="StringWriter"/>) receives the bytes decoded as UTF-8.
/// </summary>
internal static class BinaryOutput
{
    public static async Task CopyAsync(Stream content, TextWriter output, CancellationToken ct)
    {
        if (output is StreamWriter { BaseStream: { CanWrite: true } raw } writer)
        {
            await writer.FlushAsync(ct);
            await content.CopyToAsync(raw, ct);
            await raw.FlushAsync(ct);
            return;
        }

        var decoder = Encoding.UTF8.GetDecoder();
        var bytes = new byte[81920];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        int n;
        while ((n = await content.ReadAsync(bytes, ct)) > 0)
        {
            var count = decoder.GetChars(bytes, 0, n, chars, 0, flush: false);
            await output.WriteAsync(chars.AsMemory(0, count), ct);
        }

        var tail = decoder.GetChars([], 0, 0, chars, 0, flush: true);
        await output.WriteAsync(chars.AsMemory(0, tail), ct);
    }
}
