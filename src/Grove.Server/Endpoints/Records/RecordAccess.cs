using Grove.Identity;
using Grove.Records;
using Grove.Server.Internal;
using Grove.Tree;
using Microsoft.AspNetCore.Http;

namespace Grove.Server.Endpoints.Records;

/// <summary>
/// Who may do what with a record set, on the tree object that stands for it, <c>/records/&lt;set&gt;</c>: read (get,
/// find, stats) needs read on it, write (rows, bulk, rotate) and redefining need write on it, defining a new set needs
/// the right to create it in <c>/records</c>. The definer owns the set's object; chmod, chown and groups do the rest.
/// </summary>
internal static class RecordAccess
{
    public const string Root = "/records";

    public static string PathOf(string set) => Root + "/" + set;

    public static async Task RequireAsync(HttpContext ctx, TreeAccess guard, string set, int bit)
    {
        try
        {
            await guard.RequireAsync(ctx.Caller(), PathOf(set), bit, ctx.RequestAborted);
        }
        catch (TreeException e) when (e.Code == TreeErrorCode.NotFound)
        {
            throw new RecordsException(RecordsErrorCode.NotFound, $"no record set '{set}'");
        }
    }

    /// <summary>Checks the caller may define <paramref name="set"/> (create it, or write it when it exists); true when it is new.</summary>
    public static async Task<bool> RequireDefineAsync(HttpContext ctx, TreeService tree, TreeAccess guard, string set)
    {
        var existing = await tree.FindAsync(PathOf(set), ctx.RequestAborted);
        if (existing is not null)
        {
            await guard.RequireAsync(ctx.Caller(), PathOf(set), Access.Write, ctx.RequestAborted);
            return false;
        }

        await guard.CheckCreateAsync(ctx.Caller(), PathOf(set), ctx.RequestAborted);
        return true;
    }

    /// <summary>Creates the set's object, owned by the caller, with the folder's read bits for group and others.</summary>
    public static async Task CreateAsync(HttpContext ctx, TreeService tree, string set)
    {
        var root = await tree.FindAsync(Root, ctx.RequestAborted);
        var folder = root is null || root.Mode == 0 ? 0b111_101_101 : root.Mode;
        await tree.CreateAsync(PathOf(set), ObjectRace.Dir, new CreateOptions
        {
            ExistOk = true,
            User = ctx.Caller().User,
            Mode = 0b111_000_000 | (folder & 0b000_101_101),
        }, ctx.RequestAborted);
    }

    public static async Task<bool> CanReadAsync(Principal p, TreeService tree, TreeAccess guard, string set, CancellationToken ct)
    {
        var o = await tree.FindAsync(PathOf(set), ct);
        return o is not null && (p.IsAdmin || await guard.CanReadAsync(p, o, ct));
    }
}
