using System.Text.Json;
using Grove.Config;

namespace Grove.Server.Internal.Config;

/// <summary>
/// Diamond's JSON shapes (its <c>list_json</c> page and batch results): <c>Page</c> = <c>{totalCount, pageNumber,
/// pagesAvailable, pageItems}</c> of <c>ConfigInfo</c> = <c>{id, dataId, group, content, md5}</c>; Grove's id of a config
/// is the revision of its current version.
/// </summary>
internal static class DiamondJson
{
    /// <summary>Batch result statuses (Diamond's constants).</summary>
    public const int OpError = -1;
    public const int QueryExists = 1;
    public const int QueryMissing = 2;
    public const int AddSuccess = 3;
    public const int UpdateSuccess = 4;

    public static void Page(Utf8JsonWriter w, ConfigPage page, Func<ConfigItem, bool> showContent, string? message = null)
    {
        w.WriteStartObject();
        if (message is not null)
        {
            w.WriteString("message", message);
        }

        w.WriteNumber("totalCount", page.Total);
        w.WriteNumber("pageNumber", page.PageNo);
        w.WriteNumber("pagesAvailable", page.Pages);
        w.WriteStartArray("pageItems");
        foreach (var item in page.Items)
        {
            Info(w, item, showContent(item));
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void Info(Utf8JsonWriter w, ConfigItem item, bool content)
    {
        w.WriteStartObject();
        Fields(w, item, content);
        w.WriteEndObject();
    }

    public static void Fields(Utf8JsonWriter w, ConfigItem item, bool content)
    {
        w.WriteNumber("id", item.Revision);
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
    }

    /// <summary>One entry of a batch answer (<c>ConfigInfoEx</c>): the config's fields, a status and a message.</summary>
    public static void Ex(Utf8JsonWriter w, string dataId, string group, ConfigItem? item, bool content, int status, string message)
    {
        w.WriteStartObject();
        if (item is not null)
        {
            Fields(w, item, content);
        }
        else
        {
            w.WriteNumber("id", 0);
            w.WriteString("dataId", dataId);
            w.WriteString("group", group);
            w.WriteNull("content");
            w.WriteNull("md5");
        }

        w.WriteNumber("status", status);
        w.WriteString("message", message);
        w.WriteEndObject();
    }
}
