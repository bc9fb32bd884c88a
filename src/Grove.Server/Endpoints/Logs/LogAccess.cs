using Grove.Identity;
using Grove.Logs;
using Grove.Server.Internal;
using Grove.Tree;
using Microsoft.AspNetCore.Http;

namespace Grove.Server.Endpoints.Logs;

/// <summary>
/// The permission rules of task logs, on the tree objects that hold them: creating a task needs write (and list) on
/// the logs folder; the creator owns the task, whose object is <c>0600</c> plus the folder's group and others read
/// bits, so only the owner (and admins) append, heartbeat, finish or delete it, and reading needs read on the task
/// object and list on the folders above it, as for any file.
/// </summary>
internal static class LogAccess
{
    /// <summary>The task's path once the caller is allowed <paramref name="bit"/> on it; <c>not_found</c> or <c>forbidden</c> otherwise.</summary>
    public static async Task<string> RequireAsync(HttpContext ctx, LogService logs, TreeAccess guard, string id, int bit)
    {
        var path = logs.PathOf(id) ?? throw new LogException(LogErrorCode.NotFound, $"no task '{id}'");
        try
        {
            await guard.RequireAsync(ctx.Caller(), path, bit, ctx.RequestAborted);
        }
        catch (TreeException e) when (e.Code == TreeErrorCode.NotFound)
        {
            throw new LogException(LogErrorCode.NotFound, $"no task '{id}'");
        }

        return path;
    }

    /// <summary>Checks that the caller may create tasks and returns the mode of a new task's object.</summary>
    public static async Task<int> RequireCreateAsync(HttpContext ctx, LogService logs, TreeAccess guard)
    {
        var root = await guard.RequireAsync(ctx.Caller(), logs.Options.Root, Access.Write | Access.List, ctx.RequestAborted);
        var folder = root.Mode == 0 ? 0b111_101_101 : root.Mode;
        return 0b110_000_000 | (folder & 0b000_100_100);
    }

    /// <summary>Whether the caller may read a listed task.</summary>
    public static async Task<bool> CanReadAsync(Principal p, TreeService tree, TreeAccess guard, LogTask task, CancellationToken ct)
    {
        if (p.IsAdmin)
        {
            return true;
        }

        var o = await tree.FindAsync(task.Path, ct);
        return o is not null && await guard.CanReadAsync(p, o, ct);
    }
}
