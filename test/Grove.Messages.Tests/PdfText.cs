using System.Diagnostics;
using Xunit.Abstractions;

namespace Grove.Messages.Tests;

/// <summary>Reads a PDF's text back with poppler's <c>pdftotext</c>; missing tools skip (with the reason) unless CI=true.</summary>
internal static class PdfText
{
    private const string Font = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

    public static bool Available(ITestOutputHelper output)
    {
        string? missing = null;
        if (!File.Exists(Font))
        {
            missing = "the font fonts-wqy-microhei is not installed";
        }
        else if (!Path.Exists("/usr/bin/pdftotext") && !Path.Exists("/usr/local/bin/pdftotext"))
        {
            missing = "pdftotext (poppler-utils) is not installed";
        }

        if (missing is null)
        {
            return true;
        }

        if (PostgresServer.IsCi)
        {
            throw new InvalidOperationException(missing + " (required under CI)");
        }

        output.WriteLine("skipped: " + missing);
        return false;
    }

    public static async Task<string> ReadAsync(byte[] pdf)
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(file, pdf);
            var psi = new ProcessStartInfo("pdftotext", ["-enc", "UTF-8", file, "-"]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            var text = await p.StandardOutput.ReadToEndAsync();
            await p.WaitForExitAsync();
            p.ExitCode.ShouldBe(0, await p.StandardError.ReadToEndAsync());
            return text;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
