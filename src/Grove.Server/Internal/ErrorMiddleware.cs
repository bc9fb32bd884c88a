using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Grove.Server.Internal;

/// <summary>
/// Turns every failure into a problem+json answer with a stable code; a client that went away is not an error.
/// </summary>
internal sealed class ErrorMiddleware(RequestDelegate next, ILogger<ErrorMiddleware> log)
{
    public async Task InvokeAsync(HttpContext ctx)
    {
        try
        {
            await next(ctx);
        }
        catch (Exception e) when (ctx.RequestAborted.IsCancellationRequested && e is OperationCanceledException or IOException or BadHttpRequestException)
        {
            // The client disconnected; nobody is left to answer.
        }
        catch (Exception e) when (e is not StorageFullException && StorageFullException.IsDiskFull(e))
        {
            // Note that every disk-full failure (file system, SQLite, PostgreSQL) becomes 507 here, in one place.
            log.LogWarning("disk full for {Method} {Path}: {Message}", ctx.Request.Method, ctx.Request.Path, e.Message);
            await Problem.WriteAsync(ctx, StorageFullException.From(e));
        }
        catch (GroveException e)
        {
            await Problem.WriteAsync(ctx, e);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await Problem.WriteAsync(ctx, e.StatusCode, ErrorMap.TooLarge, e.Message);
        }
        catch (BadHttpRequestException e)
        {
            // Note that a body cut off mid-stream lands here: the kernel has already dropped what it had received.
            await Problem.WriteAsync(ctx, e.StatusCode, ErrorMap.BadRequest, e.Message);
        }
        catch (JsonException e)
        {
            await Problem.WriteAsync(ctx, StatusCodes.Status400BadRequest, ErrorMap.BadRequest, "malformed JSON: " + e.Message);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            log.LogError(e, "store unavailable for {Method} {Path}", ctx.Request.Method, ctx.Request.Path);
            await Problem.WriteAsync(ctx, StatusCodes.Status503ServiceUnavailable, ErrorMap.Unavailable, "the store cannot be reached; try again", TimeSpan.FromSeconds(1));
        }
        catch (Exception e)
        {
            log.LogError(e, "unhandled error in {Method} {Path}", ctx.Request.Method, ctx.Request.Path);
            await Problem.WriteAsync(ctx, StatusCodes.Status500InternalServerError, ErrorMap.Internal, "internal error; see the server log");
        }
    }
}
