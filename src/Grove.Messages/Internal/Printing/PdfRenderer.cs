using System.Globalization;
using System.Text.RegularExpressions;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Grove.Messages.Internal.Printing;

/// <summary>
/// Lays out one message on A4 pages with its mapping's print layout: the title, each section's fields as display
/// name and value (long values wrapped), the detail table across as many pages as it needs with its header repeated
/// on each, and "page n / N" at the foot of every page.
/// </summary>
internal sealed partial class PdfRenderer
{
    private const double Margin = 40;
    private const double LabelWidth = 140;
    private const double Line = 16;
    private const double RowHeight = 18;

    private readonly XFont _title = new(CjkFontResolver.FaceName, 16, XFontStyleEx.Bold);
    private readonly XFont _heading = new(CjkFontResolver.FaceName, 12, XFontStyleEx.Bold);
    private readonly XFont _text = new(CjkFontResolver.FaceName, 9.5, XFontStyleEx.Regular);
    private readonly XFont _small = new(CjkFontResolver.FaceName, 8, XFontStyleEx.Regular);
    private readonly XPen _rule = new(XColors.Gray, 0.5);

    private PdfDocument _doc = null!;
    private PdfPage _page = null!;
    private XGraphics _g = null!;
    private double _y;

    /// <summary>Adds the message's pages to <paramref name="doc"/>; returns how many pages it took.</summary>
    public int Render(PdfDocument doc, MessageView view)
    {
        _doc = doc;
        var firstPage = doc.PageCount;
        NewPage();
        var title = Title(view);
        _g.DrawString(title, _title, XBrushes.Black, new XRect(Margin, _y, Width, 24), XStringFormats.TopCenter);
        _y += 28;
        _g.DrawString($"{view.Message.Partner} · {view.Message.Type} · {view.Message.SourceId ?? "#" + view.Message.Id} · {view.Message.ReceivedAt.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm:ss} · r{view.Message.Revision}",
            _small, XBrushes.Gray, new XRect(Margin, _y, Width, 12), XStringFormats.TopCenter);
        _y += 20;

        var fields = view.Fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var printed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in view.Mapping.Print.Sections)
        {
            Heading(section.Title);
            foreach (var name in section.Fields)
            {
                if (fields.TryGetValue(name, out var f) && printed.Add(name))
                {
                    Field(f);
                }
            }
        }

        // Note that fields outside the sections (unmapped fields of a migrated message) are printed after them, never dropped.
        var rest = view.Fields.Where(f => !printed.Contains(f.Name) && view.Mapping.Field(f.Name) is null).ToArray();
        if (rest.Length > 0)
        {
            Heading("其他字段");
            foreach (var f in rest)
            {
                Field(f);
            }
        }

        if (view.DetailColumns.Count > 0)
        {
            Table(view);
        }

        _g.Dispose();
        var pages = doc.PageCount - firstPage;
        for (var i = 0; i < pages; i++)
        {
            using var g = XGraphics.FromPdfPage(doc.Pages[firstPage + i], XGraphicsPdfPageOptions.Append);
            g.DrawString($"第 {i + 1} / {pages} 页", _small, XBrushes.Gray, new XRect(Margin, doc.Pages[firstPage + i].Height.Point - 28, Width, 12), XStringFormats.TopCenter);
        }

        return pages;
    }

    private double Width => _page.Width.Point - (2 * Margin);

    private double Bottom => _page.Height.Point - 44;

    /// <summary>The message's bookmark in a batch: its print title, else partner/type and its id.</summary>
    internal static string Bookmark(MessageView view) => Title(view) is { Length: > 0 } title
        ? title
        : $"{view.Message.Partner}/{view.Message.Type} {view.Message.SourceId ?? "#" + Number((int)Math.Min(int.MaxValue, view.Message.Id))}";

    private static string Title(MessageView view) => FieldRef().Replace(view.Mapping.Print.Title, m =>
        view.Fields.FirstOrDefault(f => f.Name == m.Groups[1].Value)?.Value ?? "");

    private void NewPage()
    {
        _g?.Dispose();
        _page = _doc.AddPage();
        _page.Size = PdfSharp.PageSize.A4;
        _g = XGraphics.FromPdfPage(_page);
        _y = Margin;
    }

    private void Ensure(double height)
    {
        if (_y + height > Bottom)
        {
            NewPage();
        }
    }

    private void Heading(string title)
    {
        if (title.Length == 0)
        {
            return;
        }

        Ensure(Line * 3);
        _y += 4;
        _g.DrawString(title, _heading, XBrushes.Black, new XRect(Margin, _y, Width, Line), XStringFormats.TopLeft);
        _y += Line + 2;
        _g.DrawLine(_rule, Margin, _y, Margin + Width, _y);
        _y += 4;
    }

    private void Field(ShownField f)
    {
        var lines = Wrap(f.Value, Width - LabelWidth);
        Ensure(Line);
        _g.DrawString(f.Display, _text, XBrushes.DimGray, new XRect(Margin, _y, LabelWidth - 6, Line), XStringFormats.TopLeft);
        foreach (var line in lines)
        {
            Ensure(Line);
            _g.DrawString(line, _text, XBrushes.Black, new XRect(Margin + LabelWidth, _y, Width - LabelWidth, Line), XStringFormats.TopLeft);
            _y += Line;
        }
    }

    private void Table(MessageView view)
    {
        Heading(view.DetailTitle ?? "");
        var columns = view.DetailColumns;
        var width = Width / columns.Count;
        void Header()
        {
            _g.DrawRectangle(XBrushes.Gainsboro, Margin, _y, Width, RowHeight);
            for (var c = 0; c < columns.Count; c++)
            {
                _g.DrawString(Clip(columns[c].Display, width - 6, _heading), _text, XBrushes.Black, new XRect(Margin + (c * width) + 3, _y + 3, width - 6, RowHeight), XStringFormats.TopLeft);
            }

            _y += RowHeight;
        }

        Ensure(RowHeight * 2);
        Header();
        foreach (var row in view.DetailRows)
        {
            if (_y + RowHeight > Bottom)
            {
                NewPage();
                Header();
            }

            for (var c = 0; c < columns.Count; c++)
            {
                _g.DrawString(Clip(row[c], width - 6, _text), _text, XBrushes.Black, new XRect(Margin + (c * width) + 3, _y + 3, width - 6, RowHeight), XStringFormats.TopLeft);
            }

            _y += RowHeight;
            _g.DrawLine(_rule, Margin, _y, Margin + Width, _y);
        }
    }

    private List<string> Wrap(string text, double width)
    {
        var lines = new List<string>();
        if (text.Length == 0 || _g.MeasureString(text, _text).Width <= width)
        {
            lines.Add(text);
            return lines;
        }

        var start = 0;
        while (start < text.Length && lines.Count < 40)
        {
            // Note that Chinese has no spaces to break at: the longest prefix that fits is taken.
            var len = 1;
            while (start + len < text.Length && _g.MeasureString(text.Substring(start, len + 1), _text).Width <= width)
            {
                len++;
            }

            lines.Add(text.Substring(start, len));
            start += len;
        }

        return lines;
    }

    private string Clip(string text, double width, XFont font)
    {
        if (_g.MeasureString(text, font).Width <= width)
        {
            return text;
        }

        var len = text.Length;
        while (len > 1 && _g.MeasureString(text[..len] + "…", font).Width > width)
        {
            len--;
        }

        return text[..len] + "…";
    }

    [GeneratedRegex(@"\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex FieldRef();

    internal static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}
