namespace Grove.Cli.Demo;

/// <summary>The sample tree of <c>grove demo</c>: a few folders and files of different kinds, some with metadata.</summary>
internal static class DemoTree
{
    /// <summary>The folder the demo fills; its presence means the demo ran already.</summary>
    public const string Root = "/demo";

    /// <summary>A sample file: where it goes, its bytes, and metadata as <c>key=value</c> arguments of <c>grove meta set</c>.</summary>
    public sealed record File(string Path, byte[] Content, string[] Meta);

    /// <summary>Empty folders besides those the files create.</summary>
    public static readonly string[] Folders = [Root + "/inbox"];

    public static IReadOnlyList<File> Files { get; } =
    [
        Text("/README.md", """
            # Grove demo data

            Made by `grove demo`: a small tree, configs with history in the group DEMO, and task logs.
            Try, in a terminal:

                grove ls /demo/projects/alpha
                grove find --where '{"lbls":"final"}'
                grove config history DEMO/shop.yaml
                grove logs ls

            Remove it all with `grove rm -r /demo` (configs: `grove config rm DEMO/…`, logs: `grove logs rm ID`).

            """),
        Text("/projects/alpha/report.md", """
            # Project Alpha: first quarter

            Revenue grew 12% over the last quarter; costs stayed within the budget (see budget.csv).

            | month    | revenue | costs |
            |----------|--------:|------:|
            | January  |  41,200 | 30,900 |
            | February |  43,800 | 31,400 |
            | March    |  46,100 | 32,050 |

            """, "owner=finance", "year=2026", """lbls=["q1","final"]"""),
        Text("/projects/alpha/budget.csv", """
            month,item,amount
            2026-01,salaries,24000
            2026-01,hosting,2900
            2026-02,salaries,24000
            2026-02,hosting,3100
            2026-03,salaries,24500
            2026-03,hosting,3150

            """, "owner=finance", "year=2026", """lbls=["q1"]"""),
        Text("/projects/alpha/logo.svg", """
            <svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">
              <circle cx="32" cy="26" r="18" fill="#1f6f43"/>
              <rect x="29" y="40" width="6" height="18" fill="#6b4f2a"/>
            </svg>

            """, "owner=design"),
        Text("/projects/beta/plan.txt", """
            Project Beta, plan for 2025
            1. Move the order history into Grove (one namespace instead of three databases).
            2. Config center for the shop's settings (DEMO/shop.yaml).
            3. Build and deploy logs in Grove (see the Logs page).

            """, "owner=ops", "year=2025", """lbls=["plan"]"""),
        Text("/projects/beta/metrics.json", """
            {"orders": 18234, "customers": 4211, "p95_ms": 143, "regions": ["eu-west", "eu-central"]}

            """, "owner=ops", "year=2025"),
        Text("/archive/2025/summary.txt", """
            2025 in short: 4 releases, 2 new regions, no data lost.

            """, "year=2025", """lbls=["final"]"""),
        new File(Root + "/photos/pixel.png", Convert.FromBase64String(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="), ["owner=design"]),
    ];

    private static File Text(string path, string text, params string[] meta) =>
        new(Root + path, System.Text.Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\n")), meta);
}
