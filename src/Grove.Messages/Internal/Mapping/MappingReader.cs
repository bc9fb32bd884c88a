using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Grove.Messages.Internal.Mapping;

/// <summary>Reads a mapping config into a <see cref="MessageMapping"/>, collecting every problem (each naming its field) into one error.</summary>
internal static partial class MappingReader
{
    public static MessageMapping Read(string partner, string type, string content, long revision)
    {
        ArgumentNullException.ThrowIfNull(content);
        MessageNames.CheckPartnerAndType(partner, type);
        JsonNode? root;
        var trimmed = content.TrimStart();
        if (trimmed.StartsWith('{'))
        {
            try
            {
                root = JsonNode.Parse(content, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            }
            catch (JsonException e)
            {
                throw new MessageException(MessageErrorCode.InvalidMapping, $"the mapping is not valid JSON at line {(e.LineNumber ?? 0) + 1}: {e.Message}")
                {
                    Line = (int)(e.LineNumber ?? 0) + 1,
                    Column = (int)(e.BytePositionInLine ?? 0) + 1,
                };
            }
        }
        else
        {
            root = YamlToJson.Convert(content);
        }

        if (root is not JsonObject o)
        {
            throw new MessageException(MessageErrorCode.InvalidMapping, "the mapping must be an object with 'fields'");
        }

        var errors = new List<FieldError>();
        var r = new Reader(errors);
        var format = r.Str(o, "format", "format") switch
        {
            null or "json" or "JSON" => SourceFormat.Json,
            "xml" or "XML" => SourceFormat.Xml,
            var f => r.Fail<SourceFormat>("format", $"unknown source format '{f}' (json or xml)"),
        };
        var fields = r.Fields(o["fields"], "fields");
        if (fields.Count == 0 && !errors.Any(e => e.Field.StartsWith("fields", StringComparison.Ordinal)))
        {
            errors.Add(new FieldError("fields", "a mapping must map at least one field"));
        }

        DetailMapping? detail = null;
        if (o["detail"] is JsonObject d)
        {
            var dfields = r.Fields(d["fields"], "detail.fields");
            if (dfields.Count == 0 && !errors.Any(e => e.Field.StartsWith("detail.fields", StringComparison.Ordinal)))
            {
                errors.Add(new FieldError("detail.fields", "a detail table must map at least one field"));
            }

            var dname = r.Str(d, "name", "detail.name") ?? "detail";
            if (!NamePattern().IsMatch(dname))
            {
                errors.Add(new FieldError("detail.name", $"'{dname}' is not a valid name (letters, digits, _; at most 63)"));
            }
            else if (fields.Any(f => f.Name == dname))
            {
                errors.Add(new FieldError("detail.name", $"'{dname}' is also a master field's name"));
            }

            detail = new DetailMapping
            {
                Path = r.Path(d, "detail.path") ?? "",
                Name = dname,
                Display = r.Str(d, "display", "detail.display") ?? dname,
                Fields = dfields,
            };
        }
        else if (o["detail"] is not null)
        {
            errors.Add(new FieldError("detail", "must be an object with 'path' and 'fields'"));
        }

        var keys = r.Names(o["keys"], "keys");
        for (var i = 0; i < keys.Count; i++)
        {
            if (fields.All(f => f.Name != keys[i]))
            {
                errors.Add(new FieldError($"keys[{i}]", $"'{keys[i]}' is not a master field"));
            }
        }

        if (keys.Count > MessageMapping.MaxKeys)
        {
            errors.Add(new FieldError("keys", $"at most {MessageMapping.MaxKeys} business keys"));
        }

        var print = ReadPrint(o["print"], r, partner, type, fields, detail);
        var sourceId = o["sourceId"] is null ? null : r.Path(o, "sourceId", "sourceId");
        if (errors.Count > 0)
        {
            throw MessageException.Failed(MessageErrorCode.InvalidMapping, $"the mapping {MessageMapping.DataId(partner, type)} is invalid", errors);
        }

        return new MessageMapping
        {
            Partner = partner,
            Type = type,
            Revision = revision,
            Content = content,
            Format = format,
            SourceIdPath = sourceId,
            Fields = fields,
            Detail = detail,
            Keys = keys,
            Print = print,
        };
    }

    private static PrintLayout ReadPrint(JsonNode? node, Reader r, string partner, string type, IReadOnlyList<MappingField> fields, DetailMapping? detail)
    {
        var p = node as JsonObject;
        if (node is not null && p is null)
        {
            r.Fail<int>("print", "must be an object");
        }

        var title = (p is null ? null : r.Str(p, "title", "print.title")) ?? $"{partner} {type}";
        var sections = new List<PrintSection>();
        if (p?["sections"] is JsonArray arr)
        {
            for (var i = 0; i < arr.Count; i++)
            {
                var at = $"print.sections[{i}]";
                if (arr[i] is not JsonObject s)
                {
                    r.Fail<int>(at, "must be an object with 'title' and 'fields'");
                    continue;
                }

                var names = r.Names(s["fields"], at + ".fields");
                for (var j = 0; j < names.Count; j++)
                {
                    if (fields.All(f => f.Name != names[j]))
                    {
                        r.Fail<int>($"{at}.fields[{j}]", $"'{names[j]}' is not a master field");
                    }
                }

                sections.Add(new PrintSection(r.Str(s, "title", at + ".title") ?? "", names));
            }
        }
        else if (p?["sections"] is not null)
        {
            r.Fail<int>("print.sections", "must be an array");
        }

        if (sections.Count == 0)
        {
            sections.Add(new PrintSection("", fields.Select(f => f.Name).ToArray()));
        }

        var columns = p is null ? [] : r.Names(p["columns"], "print.columns");
        for (var i = 0; i < columns.Count; i++)
        {
            if (detail is null || detail.Fields.All(f => f.Name != columns[i]))
            {
                r.Fail<int>($"print.columns[{i}]", $"'{columns[i]}' is not a detail field");
            }
        }

        if (columns.Count == 0 && detail is not null)
        {
            columns = detail.Fields.Select(f => f.Name).ToArray();
        }

        return new PrintLayout(title, sections, columns);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    internal static partial Regex NamePattern();

    /// <summary>Reads typed members, adding an error naming the member instead of throwing.</summary>
    private sealed class Reader(List<FieldError> errors)
    {
        public T Fail<T>(string at, string message)
        {
            errors.Add(new FieldError(at, message));
            return default!;
        }

        public string? Str(JsonObject o, string key, string at)
        {
            var n = o[key];
            return n switch
            {
                null => null,
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
                _ => Fail<string?>(at, "must be a string"),
            };
        }

        public string? Path(JsonObject o, string at, string key = "path")
        {
            var s = Str(o, key, at);
            if (string.IsNullOrWhiteSpace(s))
            {
                return Fail<string?>(at, "a source path is required");
            }

            if (s.Length > 512 || SourcePath.Split(s).Length == 0)
            {
                return Fail<string?>(at, $"'{s}' is not a source path");
            }

            return s;
        }

        public bool Bool(JsonObject o, string key, string at) => o[key] switch
        {
            null => false,
            JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
            JsonValue v when v.GetValueKind() == JsonValueKind.False => false,
            JsonValue v when v.GetValueKind() == JsonValueKind.String && bool.TryParse(v.GetValue<string>(), out var b) => b,
            _ => Fail<bool>(at, "must be true or false"),
        };

        public IReadOnlyList<string> Names(JsonNode? node, string at)
        {
            if (node is null)
            {
                return [];
            }

            if (node is not JsonArray a)
            {
                return Fail<IReadOnlyList<string>>(at, "must be an array of field names") ?? [];
            }

            var list = new List<string>();
            for (var i = 0; i < a.Count; i++)
            {
                if (a[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                {
                    list.Add(v.GetValue<string>());
                }
                else
                {
                    Fail<int>($"{at}[{i}]", "must be a field name");
                }
            }

            return list;
        }

        public IReadOnlyList<MappingField> Fields(JsonNode? node, string at)
        {
            if (node is not JsonArray a)
            {
                if (node is not null)
                {
                    Fail<int>(at, "must be an array of fields");
                }

                return [];
            }

            var list = new List<MappingField>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < a.Count; i++)
            {
                var fat = $"{at}[{i}]";
                if (a[i] is not JsonObject f)
                {
                    Fail<int>(fat, "must be an object with 'path' and 'name'");
                    continue;
                }

                var name = Str(f, "name", fat + ".name");
                var path = Path(f, fat + ".path");
                if (name is null)
                {
                    // Note that a field without a name is named by its path's last segment.
                    name = path is null ? null : SourcePath.Split(path)[^1].TrimStart('@');
                }

                if (name is null || !NamePattern().IsMatch(name))
                {
                    Fail<int>(fat + ".name", $"'{name}' is not a valid name (letters, digits, _; at most 63)");
                    continue;
                }

                fat = $"{at}[{i}] ({name})";
                if (!seen.Add(name))
                {
                    Fail<int>(fat + ".name", $"'{name}' is mapped twice");
                }

                var type = ParseType(Str(f, "type", fat + ".type"), fat + ".type");
                var labels = new Dictionary<string, string>(StringComparer.Ordinal);
                if (f["labels"] is JsonObject lo)
                {
                    foreach (var (code, label) in lo)
                    {
                        labels[code] = label is JsonValue lv && lv.GetValueKind() == JsonValueKind.String ? lv.GetValue<string>() : label?.ToJsonString() ?? "";
                    }
                }
                else if (f["labels"] is not null)
                {
                    Fail<int>(fat + ".labels", "must be an object of code: label");
                }

                if (type == FieldType.Enum && labels.Count == 0)
                {
                    Fail<int>(fat + ".labels", "an enum needs labels (code: label)");
                }

                var offset = TimeSpan.FromHours(8);
                var off = Str(f, "offset", fat + ".offset");
                if (off is not null && !TimeSpan.TryParse(off.TrimStart('+', '-'), CultureInfo.InvariantCulture, out offset))
                {
                    Fail<int>(fat + ".offset", $"'{off}' is not an offset such as +08:00");
                }

                var field = new MappingField
                {
                    Path = path ?? "",
                    Name = name,
                    Display = Str(f, "display", fat + ".display") ?? name,
                    Type = type,
                    Required = Bool(f, "required", fat + ".required"),
                    Default = Str(f, "default", fat + ".default"),
                    Format = Str(f, "format", fat + ".format"),
                    Offset = off is not null && off.StartsWith('-') ? -offset : offset,
                    Labels = labels,
                };
                if (field.Default is { } dv && ValueConverter.Convert(field, dv, out _) is { } why)
                {
                    Fail<int>(fat + ".default", why);
                }

                list.Add(field);
            }

            return list;
        }

        private FieldType ParseType(string? s, string at) => s switch
        {
            null or "string" => FieldType.String,
            "integer" or "int" or "long" => FieldType.Integer,
            "decimal" or "number" => FieldType.Decimal,
            "date-time" or "datetime" or "date" => FieldType.DateTime,
            "enum" => FieldType.Enum,
            _ => Fail<FieldType>(at, $"unknown type '{s}' (string, integer, decimal, date-time, enum)"),
        };
    }
}
