using System.Buffers.Text;

namespace Grove.Messages.Internal.Printing;

/// <summary>What a <see cref="PdfLexer"/> token is (PDF 1.7, 7.2–7.3).</summary>
internal enum PdfTokenKind
{
    End,
    Integer,
    Real,
    Name,
    String,
    DictOpen,
    DictClose,
    ArrayOpen,
    ArrayClose,
    Keyword,
}

/// <summary>
/// The tokens of PDF object syntax over bytes: enough to find indirect references (<c>n g R</c>) and the keywords
/// <c>obj</c>, <c>stream</c>, <c>endobj</c>, <c>xref</c>, <c>trailer</c>, while skipping literal and hex strings and
/// comments whole — so that a reference-looking text inside a string is never rewritten.
/// </summary>
internal ref struct PdfLexer(ReadOnlySpan<byte> data, int position)
{
    private readonly ReadOnlySpan<byte> _data = data;

    /// <summary>Where the next token is looked for (after the current one).</summary>
    public int Position { get; set; } = position;

    /// <summary>Where the current token starts.</summary>
    public int Start { get; private set; }

    public PdfTokenKind Kind { get; private set; }

    public readonly ReadOnlySpan<byte> Text => _data[Start..Position];

    public readonly long Integer => Utf8Parser.TryParse(Text, out long n, out var used) && used == Text.Length
        ? n
        : throw new FormatException($"not an integer at byte {Start}");

    public readonly bool Is(ReadOnlySpan<byte> keyword) => Kind is PdfTokenKind.Keyword or PdfTokenKind.Name && Text.SequenceEqual(keyword);

    public PdfTokenKind Next()
    {
        SkipSpaceAndComments();
        Start = Position;
        if (Position >= _data.Length)
        {
            return Kind = PdfTokenKind.End;
        }

        var c = _data[Position];
        switch (c)
        {
            case (byte)'(':
                LiteralString();
                return Kind = PdfTokenKind.String;
            case (byte)'<' when Position + 1 < _data.Length && _data[Position + 1] == '<':
                Position += 2;
                return Kind = PdfTokenKind.DictOpen;
            case (byte)'<':
                var close = _data[Position..].IndexOf((byte)'>');
                Position = close < 0 ? _data.Length : Position + close + 1;
                return Kind = PdfTokenKind.String;
            case (byte)'>':
                Position += Position + 1 < _data.Length && _data[Position + 1] == '>' ? 2 : 1;
                return Kind = PdfTokenKind.DictClose;
            case (byte)'[':
                Position++;
                return Kind = PdfTokenKind.ArrayOpen;
            case (byte)']':
                Position++;
                return Kind = PdfTokenKind.ArrayClose;
            case (byte)'{' or (byte)'}' or (byte)')':
                Position++;
                return Kind = PdfTokenKind.Keyword;
            case (byte)'/':
                Position++;
                Regular();
                return Kind = PdfTokenKind.Name;
            default:
                Regular();
                return Kind = Classify(Text);
        }
    }

    /// <summary>Whitespace as PDF defines it (7.2.2).</summary>
    public static bool IsSpace(byte c) => c is 0 or 9 or 10 or 12 or 13 or 32;

    private static bool IsDelimiter(byte c) => c is (byte)'(' or (byte)')' or (byte)'<' or (byte)'>' or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}' or (byte)'/' or (byte)'%';

    private static PdfTokenKind Classify(ReadOnlySpan<byte> t)
    {
        var digits = 0;
        var dots = 0;
        for (var i = 0; i < t.Length; i++)
        {
            var c = t[i];
            if (c is >= (byte)'0' and <= (byte)'9')
            {
                digits++;
            }
            else if (c == '.')
            {
                dots++;
            }
            else if (!(i == 0 && c is (byte)'+' or (byte)'-'))
            {
                return PdfTokenKind.Keyword;
            }
        }

        return digits == 0 || dots > 1 ? PdfTokenKind.Keyword : dots == 1 ? PdfTokenKind.Real : PdfTokenKind.Integer;
    }

    private void SkipSpaceAndComments()
    {
        while (Position < _data.Length)
        {
            var c = _data[Position];
            if (IsSpace(c))
            {
                Position++;
            }
            else if (c == '%')
            {
                while (Position < _data.Length && _data[Position] is not (10 or 13))
                {
                    Position++;
                }
            }
            else
            {
                return;
            }
        }
    }

    private void Regular()
    {
        while (Position < _data.Length && !IsSpace(_data[Position]) && !IsDelimiter(_data[Position]))
        {
            Position++;
        }
    }

    private void LiteralString()
    {
        // Note that parentheses nest in a literal string unless escaped (7.3.4.2).
        var depth = 0;
        while (Position < _data.Length)
        {
            var c = _data[Position++];
            if (c == '\\')
            {
                Position++;
            }
            else if (c == '(')
            {
                depth++;
            }
            else if (c == ')' && --depth == 0)
            {
                return;
            }
        }

        Position = _data.Length;
    }
}
