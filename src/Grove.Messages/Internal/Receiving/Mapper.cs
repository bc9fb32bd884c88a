using System.Text.Json.Nodes;
using Grove.Messages.Internal.Mapping;

namespace Grove.Messages.Internal.Receiving;

/// <summary>A message mapped to one document: master fields by internal name, the detail table as an array of rows.</summary>
/// <param name="Document">The document.</param>
/// <param name="Keys">The business keys' values (null when empty), in the mapping's key order.</param>
/// <param name="SourceId">The partner's id of the message found in the body, or null.</param>
internal sealed record MappedMessage(JsonObject Document, IReadOnlyList<KeyValuePair<string, string?>> Keys, string? SourceId);

/// <summary>Applies a mapping to a parsed body, collecting every failing field into one <c>validation_failed</c>.</summary>
internal static class Mapper
{
    public static MappedMessage Map(MessageMapping mapping, JsonNode body)
    {
        var errors = new List<FieldError>();
        var doc = new JsonObject();
        MapFields(mapping.Fields, body, doc, "", errors);
        if (mapping.Detail is { } detail)
        {
            var rows = new JsonArray();
            var at = 0;
            foreach (var item in SourcePath.Items(body, SourcePath.Split(detail.Path)))
            {
                if (at == detail.MaxRows)
                {
                    errors.Add(new FieldError(detail.Name, $"more than {detail.MaxRows} rows"));
                    break;
                }

                var row = new JsonObject();
                MapFields(detail.Fields, item, row, $"{detail.Name}[{at}].", errors);
                rows.Add(row);
                at++;
            }

            doc[detail.Name] = rows;
        }

        if (errors.Count > 0)
        {
            throw MessageException.Failed(MessageErrorCode.ValidationFailed, $"the message does not satisfy the mapping {MessageMapping.DataId(mapping.Partner, mapping.Type)} (revision {mapping.Revision})", errors);
        }

        var keys = mapping.Keys.Select(k => new KeyValuePair<string, string?>(k, ValueConverter.Text(doc[k]) is { Length: > 0 } v ? v : null)).ToArray();
        var sourceId = mapping.SourceIdPath is { } p ? ValueConverter.Text(SourcePath.Find(body, SourcePath.Split(p))) : null;
        return new MappedMessage(doc, keys, string.IsNullOrEmpty(sourceId) ? null : sourceId);
    }

    private static void MapFields(IReadOnlyList<MappingField> fields, JsonNode? source, JsonObject target, string prefix, List<FieldError> errors)
    {
        foreach (var f in fields)
        {
            var node = SourcePath.Find(source, SourcePath.Split(f.Path));
            var raw = ValueConverter.Text(node);
            if (node is not null and not JsonValue && raw is null)
            {
                errors.Add(new FieldError(prefix + f.Name, $"{f.Display} ({f.Path}) is a structure, not a value"));
                continue;
            }

            if (string.IsNullOrEmpty(raw))
            {
                raw = f.Default;
            }

            if (string.IsNullOrEmpty(raw))
            {
                if (f.Required)
                {
                    errors.Add(new FieldError(prefix + f.Name, $"{f.Display} ({f.Path}) is required"));
                }

                continue;
            }

            if (ValueConverter.Convert(f, raw, out var value) is { } why)
            {
                errors.Add(new FieldError(prefix + f.Name, $"{f.Display} ({f.Path}): {why}"));
                continue;
            }

            target[f.Name] = value;
        }
    }
}
