namespace Grove.Tree.Tests;

public sealed class MountSpecTests
{
    // text, index type, index setting, storage kind, storage setting, canonical text
    public static TheoryData<string, string, string?, string, string?, string> Examples => new()
    {
        // The seed's mapping table.
        { "dao(abc/t_news)", "dao", "abc/t_news", "", null, "dao(abc/t_news)" },
        { "dao(abc/t_news)://lbm(Abc)", "dao", "abc/t_news", "lbm", "Abc", "dao(abc/t_news)://lbm(Abc)" },
        { "dao(abc/t_news)://aliyunoss", "dao", "abc/t_news", "aliyunoss", null, "dao(abc/t_news)://aliyunoss" },
        { "dao(abc/t_news)://aliyunoss(news-data)", "dao", "abc/t_news", "aliyunoss", "news-data", "dao(abc/t_news)://aliyunoss(news-data)" },
        { "mem", "mem", null, "", null, "mem" },
        { "mem://lbm(Abc)", "mem", null, "lbm", "Abc", "mem://lbm(Abc)" },
        { "file://C:/data/demo/", "file", null, "file", "C:/data/demo/", "file://C:/data/demo/" },
        { "redia", "redis", null, "", null, "redis" },
        { "redia(tmp-files)", "redis", "tmp-files", "", null, "redis(tmp-files)" },
        { "redia(tmp-files)://lbm(Tmp)", "redis", "tmp-files", "lbm", "Tmp", "redis(tmp-files)://lbm(Tmp)" },
        { "mq", "mq", null, "", null, "mq" },
        { "mq(messages)", "mq", "messages", "", null, "mq(messages)" },
        { "mq(notify)://lbm(QueueData)", "mq", "notify", "lbm", "QueueData", "mq(notify)://lbm(QueueData)" },
        { "mq(notify)://aliyunoss", "mq", "notify", "aliyunoss", null, "mq(notify)://aliyunoss" },

        // Other forms the seed uses.
        { ":lbm(xyz)", "", null, "lbm", "xyz", "://lbm(xyz)" },
        { "://lbm(xyz)", "", null, "lbm", "xyz", "://lbm(xyz)" },
        { "lbm(Name)", "", null, "lbm", "Name", "://lbm(Name)" },
        { "filew:///data/x", "file", null, "file", "/data/x", "file:///data/x" },
        { "file:///data/demo/", "file", null, "file", "/data/demo/", "file:///data/demo/" },
        { "file:///data/somedir/", "file", null, "file", "/data/somedir/", "file:///data/somedir/" },

        // Spelling variants.
        { "redis(tmp)://redis(_)", "redis", "tmp", "redis", "_", "redis(tmp)://redis(_)" },
        { "  MEM://LBM(Abc) ", "mem", null, "lbm", "Abc", "mem://lbm(Abc)" },
        { "mem:lbm(Abc)", "mem", null, "lbm", "Abc", "mem://lbm(Abc)" },
        { "mem://pgbm", "mem", null, "pgbm", null, "mem://pgbm" },
        { "://pgbm(main)", "", null, "pgbm", "main", "://pgbm(main)" },
        { "aliyunoss(news-data)", "", null, "aliyunoss", "news-data", "://aliyunoss(news-data)" },
        { "FILE:///Data/My Files/", "file", null, "file", "/Data/My Files/", "file:///Data/My Files/" },
        { "dao(a.b_c-d/e)", "dao", "a.b_c-d/e", "", null, "dao(a.b_c-d/e)" },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void Parses(string text, string index, string? indexSetting, string storage, string? storageSetting, string canonical)
    {
        var spec = MountSpec.Parse(text);

        spec.IndexType.ShouldBe(index);
        spec.IndexSetting.ShouldBe(indexSetting);
        spec.StorageKind.ShouldBe(storage);
        spec.StorageSetting.ShouldBe(storageSetting);
        spec.Text.ShouldBe(canonical);
        spec.ToString().ShouldBe(canonical);
        spec.IsFile.ShouldBe(index == "file");
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void CanonicalTextRoundTrips(string text, string index, string? indexSetting, string storage, string? storageSetting, string canonical)
    {
        _ = (index, indexSetting, storage, storageSetting, canonical);
        var spec = MountSpec.Parse(text);

        var again = MountSpec.Parse(spec.Text);

        again.ShouldBe(spec);
        again.Text.ShouldBe(spec.Text);
        MountSpec.TryParse(spec.Text, out var tried).ShouldBeTrue();
        tried.ShouldBe(spec);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("nosql", "unknown index type 'nosql'")]
    [InlineData("mem://s4(x)", "unknown storage kind 's4'")]
    [InlineData("dao(abc", "unbalanced parenthesis")]
    [InlineData("dao)", "unbalanced parenthesis")]
    [InlineData("dao(abc)://lbm(x", "unbalanced parenthesis")]
    [InlineData("dao(a(b))", "nested parenthesis")]
    [InlineData("dao()", "empty setting")]
    [InlineData("dao(a b)", "invalid character ' '")]
    [InlineData("dao(a:b)", "invalid character ':'")]
    [InlineData("mem://", "no storage follows")]
    [InlineData("mem:", "no storage follows")]
    [InlineData(":", "no storage follows")]
    [InlineData("mem://lbm", "needs a bucket name")]
    [InlineData("lbm", "needs a bucket name")]
    [InlineData("mem://lbm(a.b)", "invalid character '.' in the lbm bucket name")]
    [InlineData("mem://lbm(a/b)", "invalid character '/' in the lbm bucket name")]
    [InlineData("mem(x)y", "unexpected 'y'")]
    [InlineData("mem://lbm(x)extra", "unexpected 'e'")]
    [InlineData("mem lbm", "unexpected ' '")]
    [InlineData("(abc)", "expected an index type before the '('")]
    [InlineData("://(abc)", "expected a storage kind before the '('")]
    [InlineData("1mem", "expected an index type at position 1")]
    [InlineData("file://", "needs a path")]
    [InlineData("file://data/demo", "is not absolute")]
    [InlineData("file", "file://PATH")]
    [InlineData("file(x)", "file://PATH")]
    [InlineData("mem://file:///data", "storage 'file' goes only with a file:// mount")]
    [InlineData("mem://file", "storage 'file' goes only with a file:// mount")]
    [InlineData("file:///data/\u0001x", "control character")]
    public void RejectsInvalidText(string text, string expected)
    {
        var error = Should.Throw<TreeException>(() => MountSpec.Parse(text));

        error.Code.ShouldBe(TreeErrorCode.InvalidMount);
        error.Message.ShouldContain(expected);
        MountSpec.TryParse(text, out var spec).ShouldBeFalse();
        spec.ShouldBeNull();
    }

    [Fact]
    public void RejectsOverlongSettings()
    {
        MountSpec.Parse($"dao({new string('a', 128)})").IndexSetting!.Length.ShouldBe(128);

        var error = Should.Throw<TreeException>(() => MountSpec.Parse($"dao({new string('a', 129)})"));

        error.Code.ShouldBe(TreeErrorCode.InvalidMount);
        error.Message.ShouldContain("over 128 characters");
    }

    [Fact]
    public void TryParseOfNullIsFalse()
    {
        MountSpec.TryParse(null, out var spec).ShouldBeFalse();
        spec.ShouldBeNull();
    }

    [Theory]
    [InlineData("dao(abc/t_news)", "mount type 'dao' is not supported: ")]
    [InlineData("redia(tmp-files)://lbm(Tmp)", "mount type 'redis' is not supported: ")]
    [InlineData("mem://aliyunoss(news-data)", "mount storage 'aliyunoss' is not supported: ")]
    [InlineData("mem://redis(x)", "mount storage 'redis' is not supported: ")]
    [InlineData("://redis", "mount storage 'redis' is not supported: ")]
    public void EnsureSupported_KindNotServed_RefusedNamingTheReason(string text, string message)
    {
        var error = Should.Throw<TreeException>(() => StorageRegistry.Default.EnsureSupported(MountSpec.Parse(text)));

        error.Code.ShouldBe(TreeErrorCode.MountUnsupported);
        error.Message.ShouldStartWith(message);
        error.Message.Length.ShouldBeGreaterThan(message.Length + 10);
    }

    [Theory]
    [InlineData("mem")]
    [InlineData("mem://lbm(Abc)")]
    [InlineData("file:///data/demo/")]
    [InlineData("://lbm(xyz)")]
    [InlineData("mem://pgbm")]
    [InlineData("pgbm(main)")]
    public void EnsureSupportedAcceptsImplementedTypes(string text) =>
        Should.NotThrow(() => StorageRegistry.Default.EnsureSupported(MountSpec.Parse(text)));

    [Fact]
    public void EqualSpecsCompareEqual()
    {
        MountSpec.Parse("redia(x)").ShouldBe(MountSpec.Parse("redis(x)"));
        MountSpec.Parse(":lbm(a)").GetHashCode().ShouldBe(MountSpec.Parse("lbm(a)").GetHashCode());
        MountSpec.Parse("mem").ShouldNotBe(MountSpec.Parse("mem://lbm(a)"));
    }
}
