using System.Buffers.Text;
using System.Text;
using Grove.Tree.Internal;

namespace Grove.Tree.Tests.Query;

public sealed class CursorTests
{
    [Fact]
    public void Decode_EncodedValues_RoundTrips()
    {
        object?[] values = ["a\"b😀", 42L, -1.5, true, false, null, "", long.MaxValue];
        var cursor = Cursor.Encode(values);
        cursor.ShouldNotContain("=");
        cursor.ShouldNotContain("+");
        cursor.ShouldNotContain("/");
        Cursor.Decode(cursor, values.Length).ShouldBe(values);
    }

    [Fact]
    public void Encode_IntAndFloat_AreWidened() =>
        Cursor.Decode(Cursor.Encode([7, 2.5f]), 2).ShouldBe(new object?[] { 7L, 2.5 });

    [Theory]
    [InlineData("")]
    [InlineData("!!!")]
    [InlineData("e30")]
    [InlineData("WzFd")]
    public void Decode_Malformed_ThrowsBadCursor(string cursor)
    {
        var e = Should.Throw<TreeException>(() => Cursor.Decode(cursor, 2));
        e.Code.ShouldBe(TreeErrorCode.InvalidFilter);
        e.Message.ShouldBe("bad cursor");
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("[1,2,3]")]
    [InlineData("[[1],2]")]
    [InlineData("[{},2]")]
    [InlineData("[1e400,2]")]
    [InlineData("[1,2")]
    [InlineData("{\"a\":1}")]
    public void Decode_WrongShapeOrCount_ThrowsBadCursor(string json)
    {
        var cursor = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
        Should.Throw<TreeException>(() => Cursor.Decode(cursor, 2)).Message.ShouldBe("bad cursor");
    }

    [Fact]
    public void Decode_TooLong_ThrowsBadCursor() =>
        Should.Throw<TreeException>(() => Cursor.Decode(new string('A', 20_000), 1)).Message.ShouldBe("bad cursor");
}
