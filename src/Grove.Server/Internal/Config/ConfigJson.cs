using System.Text.Json;
using Grove.Config;

namespace Grove.Server.Internal.Config;

/// <summary>The JSON forms of configs, history entries, betas and listeners in Grove's config API (times in ms since the epoch).</summary>
internal static class ConfigJson
{
    public static void Key(Utf8JsonWriter w, ConfigKey key)
    {
        w.WriteString("tenant", key.Tenant);
        w.WriteString("group", key.Group);
        w.WriteString("dataId", key.DataId);
    }

    /// <summary>A config; its content only when <paramref name="content"/> (secret content only when the caller may read it).</summary>
    public static void Item(Utf8JsonWriter w, ConfigItem item, bool content, bool secretsVisible)
    {
        w.WriteStartObject();
        Key(w, item.Key);
        if (content && (!item.Secret || secretsVisible))
        {
            w.WriteString("content", item.Utf8.Span);
        }

        if (!item.Secret || secretsVisible)
        {
            w.WriteString("md5", item.Md5);
        }

        w.WriteNumber("size", item.Utf8.Length);
        w.WriteString("type", ConfigTypes.Name(item.Type));
        Optional(w, "desc", item.Description);
        Strings(w, "tags", item.Tags);
        Optional(w, "app", item.App);
        w.WriteBoolean("secret", item.Secret);
        w.WriteNumber("revision", item.Revision);
        w.WriteNumber("createdAt", item.CreatedAt.ToUnixTimeMilliseconds());
        Optional(w, "createdBy", item.CreatedBy);
        w.WriteNumber("modifiedAt", item.ModifiedAt.ToUnixTimeMilliseconds());
        Optional(w, "modifiedBy", item.ModifiedBy);
        Optional(w, "modifiedFromIp", item.ModifiedFromIp);
        w.WriteBoolean("beta", item.IsBeta);
        w.WriteEndObject();
    }

    public static void Entry(Utf8JsonWriter w, HistoryEntry e)
    {
        w.WriteStartObject();
        w.WriteNumber("id", e.Id);
        Key(w, e.Key);
        w.WriteString("op", OpName(e.Op));
        if (e.Content is not null)
        {
            w.WriteString("content", e.Content);
        }

        Optional(w, "md5", e.Md5);
        w.WriteString("type", ConfigTypes.Name(e.Type));
        Optional(w, "desc", e.Description);
        Strings(w, "tags", e.Tags);
        Optional(w, "app", e.App);
        w.WriteBoolean("secret", e.Secret);
        if (e.BetaIps.Count > 0 || e.BetaLabels.Count > 0)
        {
            Strings(w, "betaIps", e.BetaIps);
            Strings(w, "betaLabels", e.BetaLabels);
        }

        Optional(w, "user", e.User);
        Optional(w, "clientIp", e.ClientIp);
        w.WriteNumber("at", e.At.ToUnixTimeMilliseconds());
        w.WriteEndObject();
    }

    public static void Beta(Utf8JsonWriter w, ConfigBeta b, bool content)
    {
        w.WriteStartObject();
        Key(w, b.Key);
        if (content)
        {
            w.WriteString("content", b.Utf8.Span);
            w.WriteString("md5", b.Md5);
        }

        Strings(w, "ips", b.Ips);
        Strings(w, "labels", b.Labels);
        w.WriteNumber("revision", b.Revision);
        w.WriteNumber("modifiedAt", b.ModifiedAt.ToUnixTimeMilliseconds());
        Optional(w, "modifiedBy", b.ModifiedBy);
        w.WriteEndObject();
    }

    public static void Listener(Utf8JsonWriter w, ListenerInfo l, string? currentMd5)
    {
        w.WriteStartObject();
        Key(w, l.Key);
        w.WriteString("ip", l.Ip);
        w.WriteString("md5", l.Md5);
        w.WriteBoolean("current", currentMd5 is not null && string.Equals(l.Md5, currentMd5, StringComparison.OrdinalIgnoreCase));
        w.WriteNumber("lastSeen", l.LastSeen.ToUnixTimeMilliseconds());
        w.WriteBoolean("waiting", l.Waiting);
        w.WriteEndObject();
    }

    /// <summary>The wire name of a history operation.</summary>
    public static string OpName(ConfigOp op) => op switch
    {
        ConfigOp.Delete => "delete",
        ConfigOp.Rollback => "rollback",
        ConfigOp.Import => "import",
        ConfigOp.BetaPublish => "beta-publish",
        ConfigOp.BetaPromote => "beta-promote",
        ConfigOp.BetaCancel => "beta-cancel",
        _ => "publish",
    };

    public static void Optional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    public static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }
}
