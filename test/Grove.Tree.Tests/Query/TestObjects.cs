using System.Text.Json;

namespace Grove.Tree.Tests.Query;

/// <summary>Generates a reproducible population of objects with nulls, mixed-kind metadata and labels.</summary>
internal static class TestObjects
{
    public static readonly string[] Names =
    [
        "a", "ab", "abc", "b", "B", "a*b", "a?c", "[x]", "100", "9", "é", "e", "中文", "😀", "\uFFFD", "z_", "z%", "a\\b", "",
    ];

    public static readonly string[] LabelPool = ["red", "green", "blue", "x y"];

    public static List<TreeObject> Generate(int count, int seed)
    {
        var rng = new Random(seed);
        var list = new List<TreeObject>(count);
        for (var i = 0; i < count; i++)
        {
            var meta = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            AddMaybe(meta, "k", MixedValue(rng), rng);
            AddMaybe(meta, "n", rng.Next(4) == 0 ? (object)(rng.Next(20) + 0.5) : rng.Next(-5, 20), rng);
            AddMaybe(meta, "s", Pick(rng, Names), rng);
            AddMaybe(meta, "flag", rng.Next(2) == 0, rng);
            AddMaybe(meta, "x-y", rng.Next(3), rng);
            list.Add(new TreeObject
            {
                Id = $"id{i:D4}{(char)('a' + rng.Next(26))}",
                ParentId = $"p{rng.Next(5)}",
                Name = Pick(rng, Names) + (rng.Next(3) == 0 ? "" : rng.Next(50).ToString("D2", System.Globalization.CultureInfo.InvariantCulture)),
                Race = rng.Next(3) == 0 ? ObjectRace.Dir : ObjectRace.File,
                Type = rng.Next(4) == 0 ? null : Pick(rng, ["txt", "md", "jpg", "TXT"]),
                Mime = rng.Next(2) == 0 ? null : "text/plain",
                Length = rng.Next(6) == 0 ? 0 : rng.Next(1, 5000),
                Creator = Pick(rng, ["alice", "bob", "carol"]),
                Mode = Pick(rng, [0x1ED, 0x1A4, 0x180]),
                Created = 1_700_000_000_000L + (rng.Next(40) * 86_400_000L),
                Modified = 1_700_000_000_000L + rng.Next(1_000_000),
                Expires = rng.Next(3) == 0 ? 1_800_000_000_000L + rng.Next(5) : null,
                Version = rng.Next(1, 4),
                Labels = LabelPool.Where(_ => rng.Next(3) == 0).ToArray(),
                Meta = meta,
            });
        }

        return list;
    }

    private static object? MixedValue(Random rng) => rng.Next(10) switch
    {
        0 => null,
        1 => rng.Next(5) + 0.25,
        2 or 3 => (long)rng.Next(-3, 10),
        4 or 5 => Pick(rng, Names),
        6 => rng.Next(2) == 0,
        7 => new[] { 1, 2 },
        8 => new Dictionary<string, int> { ["a"] = 1 },
        _ => rng.Next(3) switch { 0 => 1.0, 1 => "1", _ => 9_007_199_254_740_993L },
    };

    private static void AddMaybe(Dictionary<string, JsonElement> meta, string key, object? value, Random rng)
    {
        if (rng.Next(5) != 0)
        {
            meta[key] = JsonSerializer.SerializeToElement(value);
        }
    }

    private static T Pick<T>(Random rng, T[] items) => items[rng.Next(items.Length)];
}
