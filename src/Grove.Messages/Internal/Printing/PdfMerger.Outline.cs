using System.Text;

namespace Grove.Messages.Internal.Printing;

/// <summary>
/// The bookmarks: one outline item per message, pointing at its first page, written as the parts go. An item names
/// the next one, whose number is known only when it is allocated: so one item (the last) waits, never more.
/// </summary>
internal sealed partial class PdfMerger
{
    private (int Number, string Title, int Page, int Prev)? _pendingItem;
    private int _firstItem;
    private int _lastItem;
    private int _items;

    private void Bookmark(string title, int page)
    {
        _offsets.Add(0);
        var number = _offsets.Count;
        if (_pendingItem is { } pending)
        {
            WriteItem(pending, number);
        }
        else
        {
            _firstItem = number;
        }

        _pendingItem = (number, title, page, _lastItem);
        _lastItem = number;
        _items++;
    }

    /// <summary>Writes the last item and the outline root (empty when no part had a plain page list); false when there is no bookmark.</summary>
    private bool FinishOutlines()
    {
        if (_pendingItem is { } last)
        {
            WriteItem(last, 0);
            _pendingItem = null;
        }

        _offsets[OutlinesNumber - 1] = _out.Position;
        Ascii(_items == 0
            ? $"{OutlinesNumber} 0 obj\n<< /Type /Outlines /Count 0 >>\nendobj\n"
            : $"{OutlinesNumber} 0 obj\n<< /Type /Outlines /First {_firstItem} 0 R /Last {_lastItem} 0 R /Count {_items} >>\nendobj\n");
        return _items > 0;
    }

    private void WriteItem((int Number, string Title, int Page, int Prev) item, int next)
    {
        _offsets[item.Number - 1] = _out.Position;

        // Note that a text string in UTF-16BE with its byte order mark carries Chinese titles (PDF 1.7, 7.9.2.2).
        Ascii($"{item.Number} 0 obj\n<< /Title <FEFF{Convert.ToHexString(Encoding.BigEndianUnicode.GetBytes(item.Title))}> /Parent {OutlinesNumber} 0 R /Dest [{item.Page} 0 R /Fit]");
        if (item.Prev > 0)
        {
            Ascii($" /Prev {item.Prev} 0 R");
        }

        if (next > 0)
        {
            Ascii($" /Next {next} 0 R");
        }

        Ascii(" >>\nendobj\n");
    }
}
