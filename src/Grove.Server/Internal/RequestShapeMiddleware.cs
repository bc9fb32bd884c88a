using System.Text;
using Grove.Tree;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Grove.Server.Internal;

/// <summary>
/// Refuses, with a problem answer, request shapes Kestrel would otherwise refuse with an empty body or quietly
/// rewrite: too many headers (431), an over-long target (414), and in the raw target a <c>..</c> segment (plain or
/// percent-encoded, which Kestrel would resolve, landing elsewhere: 400 <c>path_escape</c>), and in a tree path an
/// encoded <c>/</c>, bytes that are not UTF-8, or control characters (400 <c>invalid_name</c>). Kestrel's own limits
/// are set above these, so they stay a backstop only.
/// </summary>
internal sealed class RequestShapeMiddleware(RequestDelegate next)
{
    /// <summary>Most request headers.</summary>
    public const int MaxHeaderCount = 100;

    /// <summary>Longest request target (path and query), in characters.</summary>
    public const int MaxTargetChars = 8 * 1024;

    private static readonly string[] TreeRoutes = ["/api/v1/stat/", "/api/v1/ls/", "/api/v1/files/", "/api/v1/dirs/", "/api/v1/meta/", "/api/v1/objects/", "/api/v1/mounts/"];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public Task InvokeAsync(HttpContext ctx)
    {
        if (ctx.Request.Headers.Count > MaxHeaderCount)
        {
            return Problem.WriteAsync(ctx, StatusCodes.Status431RequestHeaderFieldsTooLarge, ErrorMap.TooLarge,
                $"the request has {ctx.Request.Headers.Count} headers; the limit is {MaxHeaderCount}");
        }

        var raw = ctx.Features.Get<IHttpRequestFeature>()?.RawTarget ?? ctx.Request.Path.Value ?? "";
        if (raw.Length > MaxTargetChars)
        {
            return Problem.WriteAsync(ctx, StatusCodes.Status414UriTooLong, ErrorMap.TooLarge,
                $"the request target has {raw.Length} characters; the limit is {MaxTargetChars}");
        }

        var query = raw.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? raw.AsSpan() : raw.AsSpan(0, query);
        var tree = IsTreeRoute(path);
        while (path.Length > 0)
        {
            var slash = path.IndexOf('/');
            var segment = slash < 0 ? path : path[..slash];
            path = slash < 0 ? default : path[(slash + 1)..];
            if (!IsPlain(segment, tree) && CheckSegment(segment.ToString(), tree) is { } refusal)
            {
                throw refusal;
            }
        }

        return next(ctx);
    }

    private static bool IsTreeRoute(ReadOnlySpan<char> path)
    {
        foreach (var route in TreeRoutes)
        {
            if (path.StartsWith(route, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A segment <see cref="CheckSegment"/> passes without decoding, checked without copying it: printable ASCII with
    /// no '%' and, outside tree routes, no '.'; in a tree route a '.' is plain too unless the segment could be '..'.
    /// </summary>
    private static bool IsPlain(ReadOnlySpan<char> segment, bool tree)
    {
        foreach (var c in segment)
        {
            if (c is < '!' or > '~' or '%' || (c == '.' && !tree))
            {
                return false;
            }
        }

        return !segment.Trim().SequenceEqual("..");
    }

    /// <summary>Why a raw path segment is refused, or null.</summary>
    internal static TreeException? CheckSegment(string segment, bool tree)
    {
        if (segment.Length == 0 || (!tree && !segment.Contains('.', StringComparison.Ordinal)))
        {
            return null;
        }

        byte[] bytes;
        string decoded;
        try
        {
            bytes = Decode(segment);
            decoded = StrictUtf8.GetString(bytes);
        }
        catch (Exception e) when (e is DecoderFallbackException or FormatException)
        {
            return tree ? new TreeException(TreeErrorCode.InvalidName, $"the path segment '{Show(segment)}' is not percent-encoded UTF-8") : null;
        }

        if (decoded is ".." || decoded.Trim() is "..")
        {
            return new TreeException(TreeErrorCode.PathEscape, "the request path climbs with '..'; paths never do");
        }

        if (tree && decoded.Contains('/', StringComparison.Ordinal))
        {
            return new TreeException(TreeErrorCode.InvalidName, $"the name '{Show(decoded)}' contains '/' (sent as %2F); a name never holds one");
        }

        return tree && decoded.Any(char.IsControl)
            ? new TreeException(TreeErrorCode.InvalidName, $"the name '{Show(decoded)}' holds a control character")
            : null;
    }

    private static byte[] Decode(string segment)
    {
        var bytes = new List<byte>(segment.Length);
        for (var i = 0; i < segment.Length; i++)
        {
            var c = segment[i];
            if (c == '%')
            {
                if (i + 2 >= segment.Length || !Uri.IsHexDigit(segment[i + 1]) || !Uri.IsHexDigit(segment[i + 2]))
                {
                    throw new FormatException("a '%' without two hex digits");
                }

                bytes.Add((byte)Convert.ToInt32(segment.Substring(i + 1, 2), 16));
                i += 2;
            }
            else if (c < 0x80)
            {
                bytes.Add((byte)c);
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
        }

        return [.. bytes];
    }

    private static string Show(string text)
    {
        var shown = new StringBuilder();
        foreach (var c in text.Length > 80 ? text[..80] : text)
        {
            shown.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c);
        }

        return shown.ToString();
    }
}
