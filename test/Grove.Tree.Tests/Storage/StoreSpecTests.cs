namespace Grove.Tree.Tests.Storage;

public sealed class StoreSpecTests
{
    [Theory]
    [InlineData(null, "sqlite", null)]
    [InlineData("  ", "sqlite", null)]
    [InlineData("sqlite", "sqlite", null)]
    [InlineData("SQLite", "sqlite", null)]
    [InlineData("mem", "mem", null)]
    [InlineData("postgres://u:p@h:5432/db", "postgres", "postgres://u:p@h:5432/db")]
    [InlineData("postgresql://u@h/db", "postgres", "postgresql://u@h/db")]
    [InlineData("Host=h;Database=d;Username=u;Password=p", "postgres", "Host=h;Database=d;Username=u;Password=p")]
    [InlineData("redis:127.0.0.1:6379", "redis", "127.0.0.1:6379")]
    [InlineData("redis://127.0.0.1:6379", "redis", "127.0.0.1:6379")]
    public void Parse_KnownForms_KindAndSetting(string? text, string kind, string? setting)
    {
        var spec = StoreSpec.Parse(text);

        spec.Kind.ShouldBe(kind);
        spec.Setting.ShouldBe(setting);
    }

    [Theory]
    [InlineData("postgres://grove:s3cret@db/grove", "postgres://grove:***@db/grove")]
    [InlineData("Host=db;Username=grove;Password=s3cret;Database=g", "Host=db;Username=grove;Password=***;Database=g")]
    public void Display_WithPassword_HidesIt(string text, string shown)
    {
        var spec = StoreSpec.Parse(text);

        spec.Display.ShouldBe(shown);
        spec.ToString().ShouldNotContain("s3cret");
    }

    [Theory]
    [InlineData("::", "not a store")]
    [InlineData("a b", "not a store")]
    [InlineData("mem\u0001", "control character")]
    public void Parse_Malformed_InvalidStoreNamingIt(string text, string fragment)
    {
        StoreSpec.TryParse(text, out _, out var error).ShouldBeFalse();
        error.ShouldContain(fragment);

        Should.Throw<TreeException>(() => StoreSpec.Parse(text)).Code.ShouldBe(TreeErrorCode.InvalidStore);
    }
}
