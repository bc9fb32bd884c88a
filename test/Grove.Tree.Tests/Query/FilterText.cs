using System.Globalization;
using Grove.Tree.Query;

namespace Grove.Tree.Tests.Query;

/// <summary>Renders filters compactly so tests can compare parse results (records compare lists by reference).</summary>
internal static class FilterText
{
    public static string Of(Filter f) => f switch
    {
        AndFilter a => $"and({string.Join(",", a.Items.Select(Of))})",
        OrFilter o => $"or({string.Join(",", o.Items.Select(Of))})",
        NotFilter n => $"not({Of(n.Inner)})",
        CompareFilter c => $"{c.Op.ToString().ToLowerInvariant()}({c.Key},{Value(c.Value)})",
        InFilter i => $"in({i.Key},[{string.Join(",", i.Values.Select(Value))}])",
        MatchFilter m => $"{m.Kind.ToString().ToLowerInvariant()}({m.Key},{m.Pattern})",
        LabelsFilter l => $"labels({string.Join(",", l.Labels)})",
        ExistsFilter e => $"exists({e.Key},{e.Exists.ToString().ToLowerInvariant()})",
        _ => f.GetType().Name,
    };

    private static string Value(object? v) => v switch
    {
        null => "null",
        string s => $"'{s}'",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture) + "d",
        bool b => b ? "true" : "false",
        _ => v.ToString() ?? "?",
    };
}
