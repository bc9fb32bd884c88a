using Grove.Config;
using Grove.Server.Internal;
using Grove.Server.Internal.Config;
using Microsoft.AspNetCore.Http;

namespace Grove.Server.Endpoints.Config;

internal static partial class DiamondAdminEndpoints
{
    /// <summary><c>batchQuery</c>: <c>dataIds</c> separated by char 2, one group; each found or not, as Diamond's batch_result.</summary>
    private static IResult BatchQuery(Call c)
    {
        var group = c.Args.Text("group")?.Trim() ?? throw new ConfigException(ConfigErrorCode.InvalidArgument, "group is required");
        var ids = (c.Args["dataIds"] ?? "").Split(ProbeText.Word);
        if (ids.All(string.IsNullOrWhiteSpace))
        {
            throw new ConfigException(ConfigErrorCode.InvalidArgument, "dataIds is required: dataIds separated by char 2");
        }

        var tenant = Tenants.Normalize(c.Args["tenant"]);
        return JsonOut.Write(w =>
        {
            w.WriteStartArray();
            foreach (var raw in ids)
            {
                var dataId = raw.Trim();
                if (ConfigKey.Validate(dataId, group, tenant) is { } error)
                {
                    DiamondJson.Ex(w, dataId, group, null, false, DiamondJson.QueryMissing, error);
                    continue;
                }

                var item = c.Engine.Get(ConfigKey.Create(dataId, group, tenant));
                if (item is null)
                {
                    DiamondJson.Ex(w, dataId, group, null, false, DiamondJson.QueryMissing, "query data does not exist");
                }
                else
                {
                    var visible = !item.Secret || c.Access.CanReadSecrets(c.Caller);
                    DiamondJson.Ex(w, dataId, group, item, visible, DiamondJson.QueryExists, visible ? "query success" : "secret: not shown");
                }
            }

            w.WriteEndArray();
        });
    }

    /// <summary>
    /// <c>batchAddOrUpdate</c>: <c>allDataIdAndContent</c> is lines separated by char 1, each <c>dataId</c> char 2
    /// <c>content</c>. Unlike Diamond (which applied the good lines and reported the bad), every line is checked
    /// first and the batch commits in one transaction: one bad line applies nothing.
    /// </summary>
    private static async Task<IResult> BatchAddOrUpdateAsync(Call c)
    {
        var group = c.Args.Text("group")?.Trim() ?? throw new ConfigException(ConfigErrorCode.InvalidArgument, "group is required");
        var tenant = Tenants.Normalize(c.Args["tenant"]);
        var lines = (c.Args["allDataIdAndContent"] ?? "").Split(ProbeText.Line);
        var requests = new List<PublishRequest>();
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n];
            if (line.Length == 0)
            {
                continue;
            }

            var cut = line.IndexOf(ProbeText.Word, StringComparison.Ordinal);
            if (cut < 0)
            {
                throw new ConfigException(ConfigErrorCode.InvalidArgument, $"line {n + 1} of allDataIdAndContent has no char 2 between dataId and content; nothing was applied");
            }

            var dataId = line[..cut].Trim();
            var content = line[(cut + 1)..];
            if (ConfigKey.Validate(dataId, group, tenant) is { } error)
            {
                throw new ConfigException(ConfigErrorCode.InvalidArgument, $"line {n + 1} of allDataIdAndContent: {error}; nothing was applied");
            }

            if (string.IsNullOrWhiteSpace(content))
            {
                throw new ConfigException(ConfigErrorCode.InvalidArgument, $"line {n + 1} of allDataIdAndContent ({dataId}) has no content; nothing was applied");
            }

            requests.Add(new PublishRequest { Key = ConfigKey.Create(dataId, group, tenant), Content = content, Actor = c.Caller, ClientIp = c.Ip });
        }

        if (requests.Count == 0)
        {
            throw new ConfigException(ConfigErrorCode.InvalidArgument, "allDataIdAndContent is required: lines of dataId char 2 content, separated by char 1");
        }

        IReadOnlyList<PublishResult> results;
        try
        {
            results = await c.Engine.PublishBatchAsync(requests, c.Ctx.RequestAborted);
        }
        catch (ConfigException e) when (e.Code is ConfigErrorCode.InvalidArgument or ConfigErrorCode.InvalidFormat or ConfigErrorCode.TooLarge)
        {
            throw new ConfigException(e.Code, e.Message + "; nothing was applied", e) { Limit = e.Limit, Line = e.Line, Column = e.Column };
        }

        return JsonOut.Write(w =>
        {
            w.WriteStartArray();
            foreach (var r in results)
            {
                DiamondJson.Ex(w, r.Item.Key.DataId, r.Item.Key.Group, r.Item, true,
                    r.Created ? DiamondJson.AddSuccess : DiamondJson.UpdateSuccess, r.Created ? "add success" : "update success");
            }

            w.WriteEndArray();
        });
    }
}
