using System.Globalization;
using System.Text.Json;
using Grove.Config;
using Grove.Identity;
using Microsoft.AspNetCore.Http;

namespace Grove.Server.Internal.Config;

/// <summary>
/// What a failure of a config endpoint becomes: an HTTP status, a stable code and a message, whatever the protocol
/// prints them as (problem+json for Grove's API, plain text for Diamond and Nacos).
/// </summary>
internal sealed record ConfigError(int Status, string Code, string Message, TimeSpan? RetryAfter = null, long? Limit = null, int? Line = null, int? Column = null)
{
    /// <summary>The error of an exception a config endpoint threw, or null for one that is a bug (left to the error middleware).</summary>
    public static ConfigError? Of(Exception e) => e switch
    {
        ConfigException c => new ConfigError(c.Status, c.Code, c.Message, c.RetryAfter, c.Limit, c.Line, c.Column),
        IdentityException or ServerException => new ConfigError(((GroveException)e).Status, ((GroveException)e).Code, e.Message, ((GroveException)e).RetryAfter),
        BadHttpRequestException b when b.StatusCode == StatusCodes.Status413PayloadTooLarge => new ConfigError(413, ConfigErrorCode.TooLarge, b.Message),
        BadHttpRequestException b => new ConfigError(b.StatusCode, ConfigErrorCode.InvalidArgument, b.Message),
        JsonException j => new ConfigError(400, ErrorMap.BadRequest, "malformed JSON: " + j.Message),
        _ => null,
    };

    /// <summary>A refusal by the request counter: 503 with a randomized Retry-After, as Diamond answers.</summary>
    public static ConfigError Refused(string? ip, TimeSpan retryAfter) =>
        new(StatusCodes.Status503ServiceUnavailable, ConfigErrorCode.RateLimited, $"too many requests from {ip}; try again in {retryAfter.TotalSeconds:0} s", retryAfter);

    /// <summary>Sets the status and Retry-After of the answer.</summary>
    public void Start(HttpResponse response, string contentType)
    {
        response.Clear();
        response.StatusCode = Status;
        response.ContentType = contentType;
        if (RetryAfter is { } wait)
        {
            response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Writes the error as <c>application/problem+json</c> with its extra members (<c>limit</c>, <c>line</c>, <c>column</c>).</summary>
    public Task WriteProblemAsync(HttpContext ctx)
    {
        var extensions = new Dictionary<string, object>(StringComparer.Ordinal);
        if (Limit is { } limit)
        {
            extensions["limit"] = limit;
        }

        if (Line is { } line)
        {
            extensions["line"] = line;
        }

        if (Column is { } column)
        {
            extensions["column"] = column;
        }

        return Problem.WriteAsync(ctx, Status, Code, Message, RetryAfter, extensions);
    }

    /// <summary>Writes the error as plain text (Diamond and Nacos), with <paramref name="body"/> or the message.</summary>
    public async Task WriteTextAsync(HttpContext ctx, string? body = null)
    {
        if (ctx.Response.HasStarted)
        {
            ctx.Abort();
            return;
        }

        Start(ctx.Response, "text/plain; charset=utf-8");
        await ctx.Response.WriteAsync(body ?? Message, ctx.RequestAborted);
    }
}
