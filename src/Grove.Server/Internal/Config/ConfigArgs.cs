using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Grove.Server.Internal.Config;

/// <summary>
/// The parameters of a Diamond or Nacos request, as their clients send them: in the query string and, for POST, in
/// a form body (a form value wins). The body is bounded before it is read, so an oversized form is a 413 before it
/// is buffered.
/// </summary>
internal sealed class ConfigArgs
{
    private readonly IQueryCollection _query;
    private readonly IFormCollection? _form;

    private ConfigArgs(IQueryCollection query, IFormCollection? form)
    {
        _query = query;
        _form = form;
    }

    /// <summary>The form of a request that may have one, at most <paramref name="maxBody"/> bytes.</summary>
    public static async Task<ConfigArgs> ReadAsync(HttpContext ctx, long maxBody)
    {
        var request = ctx.Request;
        if (!request.HasFormContentType)
        {
            return new ConfigArgs(request.Query, null);
        }

        if (request.ContentLength > maxBody)
        {
            throw new BadHttpRequestException($"the body has {request.ContentLength} bytes; this endpoint takes at most {maxBody}", StatusCodes.Status413PayloadTooLarge);
        }

        if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = maxBody;
        }

        var limit = (int)Math.Min(int.MaxValue, maxBody);
        ctx.Features.Set<IFormFeature>(new FormFeature(request, new FormOptions
        {
            ValueLengthLimit = limit,
            MultipartBodyLengthLimit = maxBody,
            ValueCountLimit = 1024,
        }));
        try
        {
            return new ConfigArgs(request.Query, await request.ReadFormAsync(ctx.RequestAborted));
        }
        catch (InvalidDataException e)
        {
            throw new BadHttpRequestException($"the form body cannot be read: {e.Message}", StatusCodes.Status400BadRequest, e);
        }
    }

    /// <summary>Only the query string (a GET).</summary>
    public static ConfigArgs Query(HttpContext ctx) => new(ctx.Request.Query, null);

    /// <summary>A parameter's value, or null when absent (an empty value reads as empty).</summary>
    public string? this[string name]
    {
        get
        {
            if (_form is not null && _form.TryGetValue(name, out var f))
            {
                return f.ToString();
            }

            return _query.TryGetValue(name, out var q) ? q.ToString() : null;
        }
    }

    /// <summary>A parameter that is absent or blank reads as null.</summary>
    public string? Text(string name) => this[name] is { } v && !string.IsNullOrWhiteSpace(v) ? v : null;

    /// <summary>An uploaded file of a multipart form, or null.</summary>
    public IFormFile? File(string name) => _form?.Files.GetFile(name);

    /// <summary>An integer parameter within bounds, or <paramref name="fallback"/> when absent.</summary>
    /// <exception cref="Grove.Config.ConfigException"><c>invalid_argument</c> for a malformed or out-of-range value.</exception>
    public int Int(string name, int fallback, int min, int max)
    {
        var text = Text(name);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text.Trim(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new Grove.Config.ConfigException(Grove.Config.ConfigErrorCode.InvalidArgument, $"'{name}' must be an integer from {min} to {max}, not '{Shorten(text)}'");
    }

    public static string Shorten(string s) => s.Length <= 64 ? s : s[..64] + "…";
}
