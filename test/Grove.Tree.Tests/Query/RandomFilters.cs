using Grove.Tree.Query;

namespace Grove.Tree.Tests.Query;

/// <summary>A seeded generator of filters and sorts over the keys and value kinds of <see cref="TestObjects"/>.</summary>
internal sealed class RandomFilters(int seed)
{
    private static readonly string[] Keys =
        ["nm", "tp", "len", "race", "expi", "c", "k", "n", "s", "flag", "x-y", "id", "md", "ct", "mime", "lbls"];

    private static readonly object?[] Values =
    [
        null, 0L, 1L, 2L, -1L, 5L, 420L, 1.0, 2.5, 0.25, 3.5, "", "a", "ab", "b", "B", "1", "txt", "bob", "é", "😀",
        "\uFFFD", "中文", "DIR", "file", true, false, 1_800_000_000_002L, 1_701_000_000_000L, 2500L, "z_12", "a*b",
        9_007_199_254_740_992.0, 9_007_199_254_740_993L,
    ];

    private static readonly string[] Prefixes = ["", "a", "ab", "é", "z", "\U0010FFFF", "中", "a*", "[", "id00"];
    private static readonly string[] Globs = ["a*", "*b*", "?", "??*", "[x]*", "a?c", "*_*", "*%*", "*\\*", "é*", "*1?"];
    private static readonly string[] Regexes = ["^a", "b$", "^[0-9]+$", "é|😀", ".", "^$", "^(DIR|txt)$", "^[^a-z]"];

    private readonly Random _rng = new(seed);

    public Filter Filter(int depth)
    {
        var choice = _rng.Next(depth > 0 ? 10 : 7);
        return choice switch
        {
            7 => new AndFilter(Many(depth)),
            8 => new OrFilter(Many(depth)),
            9 => new NotFilter(Filter(depth - 1)),
            _ => Leaf(),
        };
    }

    public IReadOnlyList<SortKey> Sort()
    {
        var sortable = Keys.Where(k => k != "lbls").ToArray();
        return Enumerable.Range(0, _rng.Next(4))
            .Select(_ => new SortKey(sortable[_rng.Next(sortable.Length)], _rng.Next(2) == 0))
            .ToArray();
    }

    private Filter[] Many(int depth) => Enumerable.Range(0, _rng.Next(4)).Select(_ => Filter(depth - 1)).ToArray();

    private Filter Leaf()
    {
        var key = Keys[_rng.Next(Keys.Length)];
        if (key == "lbls")
        {
            return _rng.Next(4) switch
            {
                0 => new ExistsFilter(key, _rng.Next(2) == 0),
                1 => new CompareFilter(key, _rng.Next(2) == 0 ? CompareOp.Eq : CompareOp.Ne, null),
                _ => new LabelsFilter(TestObjects.LabelPool.Append("none").Where(_ => _rng.Next(3) == 0).ToArray()),
            };
        }

        return _rng.Next(10) switch
        {
            < 5 => new CompareFilter(key, (CompareOp)_rng.Next(6), Value()),
            5 => new InFilter(key, Enumerable.Range(0, _rng.Next(4)).Select(_ => Value()).ToArray()),
            6 => new MatchFilter(key, MatchKind.Prefix, Prefixes[_rng.Next(Prefixes.Length)]),
            7 => new MatchFilter(key, MatchKind.Wildcard, Globs[_rng.Next(Globs.Length)]),
            8 => new MatchFilter(key, MatchKind.Regex, Regexes[_rng.Next(Regexes.Length)]),
            _ => new ExistsFilter(key, _rng.Next(2) == 0),
        };
    }

    private object? Value() => Values[_rng.Next(Values.Length)];
}
