using Grove.Testing;
using Grove.Tree.Query;
using Microsoft.Data.Sqlite;

namespace Grove.Tree.Tests;

/// <summary>
/// The SQLite index updates a row in place when its indexed columns keep their values and falls back to the full
/// update otherwise: both paths must leave the name and metadata indexes answering exactly what the rows say.
/// </summary>
public sealed class SqliteInPlaceUpdateTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Update_OverwritesThenMetaEditsAndRenames_IndexesFollowEveryChange()
    {
        await using (var tree = await TreeService.OpenAsync(new TreeOptions { DataPath = _dir.Path }))
        {
            await tree.EnsureIndexAsync("color");
            await tree.WriteAsync("/d/a.txt", "1"u8.ToArray());
            await tree.SetMetaAsync("/d/a.txt", new Dictionary<string, object?> { ["color"] = "red" });

            // Overwrites keep name and metadata: the in-place path.
            for (var i = 0; i < 5; i++)
            {
                await tree.WriteAsync("/d/a.txt", System.Text.Encoding.UTF8.GetBytes("content " + i));
            }

            (await ColorAsync(tree, "red")).ShouldBe(["a.txt"]);

            // A metadata edit and a rename change indexed columns: the full update.
            await tree.SetMetaAsync("/d/a.txt", new Dictionary<string, object?> { ["color"] = "blue" });
            await tree.MoveAsync("/d/a.txt", "/d/b.txt");
            await tree.WriteAsync("/d/b.txt", "after"u8.ToArray());

            (await ColorAsync(tree, "red")).ShouldBeEmpty();
            (await ColorAsync(tree, "blue")).ShouldBe(["b.txt"]);
            (await tree.FindAsync("/d/a.txt")).ShouldBeNull();
            var b = (await tree.FindAsync("/d/b.txt")).ShouldNotBeNull();
            b.Meta["color"].GetString().ShouldBe("blue");
            (await tree.ReadAllBytesAsync("/d/b.txt")).ShouldBe("after"u8.ToArray());
        }

        using var c = new SqliteConnection($"Data Source={Path.Combine(_dir.Path, "index.db")};Pooling=False");
        c.Open();
        using var check = c.CreateCommand();
        check.CommandText = "PRAGMA integrity_check";
        check.ExecuteScalar().ShouldBe("ok");
    }

    private static async Task<List<string>> ColorAsync(TreeService tree, string color)
    {
        var page = await tree.QueryAsync(new TreeQuery { Parent = "/d", Filter = Filter.Eq("color", color) });
        return [.. page.Items.Select(o => o.Name)];
    }
}
