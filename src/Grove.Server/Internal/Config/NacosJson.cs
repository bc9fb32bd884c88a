using System.Globalization;
using System.Text.Json;
using Grove.Config;
using Microsoft.AspNetCore.Http;

namespace Grove.Server.Internal.Config;

/// <summary>
/// Nacos's v1 answer shapes: <c>Page</c> (<c>totalCount, pageNumber, pagesAvailable, pageItems</c>), config and history
/// records, <c>RestResult</c> (<c>code, message, data</c>), and errors as its exception handler prints them
/// (<c>caused: message;</c> as plain text; authentication failures are 403, as Nacos answers them).
/// </summary>
internal static class NacosJson
{
    /// <summary>Nacos's time format: <c>2024-05-04T16:00:00.000+0000</c>.</summary>
    public static string Time(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);

    public static void ConfigInfo(Utf8JsonWriter w, ConfigItem item, bool content, bool all)
    {
        w.WriteStartObject();
        w.WriteString("id", item.Revision.ToString(CultureInfo.InvariantCulture));
        w.WriteString("dataId", item.Key.DataId);
        w.WriteString("group", item.Key.Group);
        if (content)
        {
            w.WriteString("content", item.Utf8.Span);
            w.WriteString("md5", item.Md5);
        }
        else
        {
            w.WriteNull("content");
            w.WriteNull("md5");
        }

        w.WriteString("tenant", item.Key.Tenant);
        w.WriteString("appName", item.App ?? "");
        w.WriteString("type", ConfigTypes.Name(item.Type));
        if (all)
        {
            w.WriteNumber("createTime", item.CreatedAt.ToUnixTimeMilliseconds());
            w.WriteNumber("modifyTime", item.ModifiedAt.ToUnixTimeMilliseconds());
            ConfigJson.Optional(w, "createUser", item.CreatedBy);
            ConfigJson.Optional(w, "createIp", item.ModifiedFromIp);
            ConfigJson.Optional(w, "desc", item.Description);
            w.WriteString("configTags", string.Join(',', item.Tags));
        }

        w.WriteEndObject();
    }

    public static void Page(Utf8JsonWriter w, ConfigPage page, Func<ConfigItem, bool> showContent)
    {
        w.WriteStartObject();
        w.WriteNumber("totalCount", page.Total);
        w.WriteNumber("pageNumber", page.PageNo);
        w.WriteNumber("pagesAvailable", page.Pages);
        w.WriteStartArray("pageItems");
        foreach (var item in page.Items)
        {
            ConfigInfo(w, item, showContent(item), all: false);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>A history record (<c>ConfigHistoryInfo</c>); <paramref name="opType"/> is I, U or D.</summary>
    public static void History(Utf8JsonWriter w, HistoryEntry e, string opType)
    {
        w.WriteStartObject();
        w.WriteString("id", e.Id.ToString(CultureInfo.InvariantCulture));
        w.WriteNumber("lastId", -1);
        w.WriteString("dataId", e.Key.DataId);
        w.WriteString("group", e.Key.Group);
        w.WriteString("tenant", e.Key.Tenant);
        w.WriteString("appName", e.App ?? "");
        if (e.Md5 is null)
        {
            w.WriteNull("md5");
        }
        else
        {
            w.WriteString("md5", e.Md5);
        }

        if (e.Content is null)
        {
            w.WriteNull("content");
        }
        else
        {
            w.WriteString("content", e.Content);
        }

        w.WriteString("srcIp", e.ClientIp ?? "");
        ConfigJson.Optional(w, "srcUser", e.User);
        w.WriteString("opType", opType);
        w.WriteString("createdTime", Time(e.At));
        w.WriteString("lastModifiedTime", Time(e.At));
        w.WriteEndObject();
    }

    public static string OpType(ConfigOp op, bool first) => op switch
    {
        ConfigOp.Delete => "D",
        ConfigOp.Publish or ConfigOp.Import when first => "I",
        _ => "U",
    };

    /// <summary>Nacos's <c>RestResult</c>: <c>{"code":200,"message":…,"data":…}</c>.</summary>
    public static IResult Result(string message, Action<Utf8JsonWriter>? data) => JsonOut.Write(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("code", 200);
        w.WriteString("message", message);
        w.WritePropertyName("data");
        if (data is null)
        {
            w.WriteNullValue();
        }
        else
        {
            data(w);
        }

        w.WriteEndObject();
    });

    /// <summary>Writes an error the way Nacos's exception handler does: the status and <c>caused: message;</c>.</summary>
    public static Task WriteErrorAsync(HttpContext ctx, ConfigError e)
    {
        // Note that Nacos answers a missing or bad credential with 403, and its clients sign in again on a 403.
        var error = e.Status == StatusCodes.Status401Unauthorized ? e with { Status = StatusCodes.Status403Forbidden } : e;
        return error.WriteTextAsync(ctx, "caused: " + e.Message + ";");
    }
}
