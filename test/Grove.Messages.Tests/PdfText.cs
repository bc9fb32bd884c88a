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

    public static async Task<string> ReadAsync(byte[] pdf) => (await RunAsync("pdftotext", pdf, "-enc", "UTF-8")).Output;

    /// <summary>The page count <c>pdfinfo</c> reads; poppler's complaints about the file's structure (a broken xref, a bad object) fail the test.</summary>
    public static async Task<int> PagesAsync(byte[] pdf)
    {
        var (info, errors) = await RunAsync("pdfinfo", pdf);
        errors.ShouldBeEmpty();
        var pages = info.Split('\n').Single(l => l.StartsWith("Pages:", StringComparison.Ordinal));
        return int.Parse(pages["Pages:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The bookmarks (outline items) as <c>pdftohtml -xml</c> reads them: the page each points at and its title.</summary>
    public static async Task<List<(int Page, string Title)>> OutlineAsync(byte[] pdf)
    {
        var (xml, _) = await RunAsync("pdftohtml", pdf, "-xml", "-i", "-q", "-stdout");
        return [.. System.Text.RegularExpressions.Regex.Matches(xml, "<item page=\"(\\d+)\">([^<]*)</item>")
            .Select(m => (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), System.Net.WebUtility.HtmlDecode(m.Groups[2].Value)))];
    }

    private static async Task<(string Output, string Errors)> RunAsync(string tool, byte[] pdf, params string[] options)
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(file, pdf);
            string[] to = tool == "pdftotext" ? ["-"] : [];
            var psi = new ProcessStartInfo(tool, [.. options, file, .. to]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEndAsync();
            var errors = p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            p.ExitCode.ShouldBe(0, await errors);
            return (await output, await errors);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
