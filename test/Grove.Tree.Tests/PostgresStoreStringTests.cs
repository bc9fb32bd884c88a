using Grove.Tree.Internal.Postgres;
using Npgsql;

namespace Grove.Tree.Tests;

public sealed class PostgresStoreStringTests
{
    private static NpgsqlConnectionStringBuilder Parse(string store) => new(PostgresStoreString.ToConnectionString(store));

    [Fact]
    public void Url_WithEncodedCredentialsPortAndDatabase_BecomesConnectionString()
    {
        var b = Parse("postgres://gr%40ve:p%3Ass%2Fw%20rd@db.example.com:6543/tree%20db");

        b.Username.ShouldBe("gr@ve");
        b.Password.ShouldBe("p:ss/w rd");
        b.Host.ShouldBe("db.example.com");
        b.Port.ShouldBe(6543);
        b.Database.ShouldBe("tree db");
        b.MaxAutoPrepare.ShouldBe(PostgresStoreString.DefaultMaxAutoPrepare);
        b.AutoPrepareMinUsages.ShouldBe(PostgresStoreString.DefaultAutoPrepareMinUsages);
    }

    [Fact]
    public void Url_LibpqAndNpgsqlOptions_AreMapped()
    {
        var b = Parse("postgresql://u@h/d?sslmode=verify-full&application_name=grove&connect_timeout=7&Maximum%20Pool%20Size=9&MaxAutoPrepare=0");

        b.SslMode.ShouldBe(SslMode.VerifyFull);
        b.ApplicationName.ShouldBe("grove");
        b.Timeout.ShouldBe(7);
        b.MaxPoolSize.ShouldBe(9);
        b.MaxAutoPrepare.ShouldBe(0);
        b.Password.ShouldBeNull();
    }

    [Fact]
    public void Url_SeveralHostsAndIpv6_UseNpgsqlMultiHostForm()
    {
        Parse("postgres://u@[::1]:5433/d").Host.ShouldBe("::1");
        Parse("postgres://u@[::1]:5433/d").Port.ShouldBe(5433);
        Parse("postgres://u@a:5432,b:5433,c/d").Host.ShouldBe("a:5432,b:5433,c");
    }

    [Fact]
    public void ConnectionString_KeepsItsSettings_AndAnExplicitAutoPrepare()
    {
        var b = Parse("Host=localhost;Database=x;Username=u;Max Auto Prepare=5");
        b.Host.ShouldBe("localhost");
        b.MaxAutoPrepare.ShouldBe(5);
        Parse("Host=localhost;Database=x").MaxAutoPrepare.ShouldBe(PostgresStoreString.DefaultMaxAutoPrepare);
    }

    [Theory]
    [InlineData("postgres://u:secret@h/d?bogus=1", "bogus")]
    [InlineData("postgres://u:secret@h/d?port=notaport", "port")]
    [InlineData("postgres://u:secret@h:99999/d", "h:99999")]
    [InlineData("mysql://u:secret@h/d", "unknown store")]
    [InlineData("just-a-word", "unknown store")]
    [InlineData("Host=h;Bogus Keyword=1", "bad PostgreSQL connection string")]
    public void BadStore_ThrowsArgumentExceptionNamingTheProblemButNotThePassword(string store, string mention)
    {
        var e = Should.Throw<ArgumentException>(() => PostgresStoreString.ToConnectionString(store));
        e.Message.ShouldContain(mention);
        e.Message.ShouldNotContain("secret");
    }
}
