using System.Net;
using static Grove.Server.Tests.ApiAssertions;

namespace Grove.Server.Tests;

/// <summary>The c/m/g/md rules enforced on every call; owners stamped by the server; no existence leaks.</summary>
public sealed class PermissionApiTests : IAsyncLifetime
{
    private RunningServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        _admin = await _server.AdminAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task PrivateDirectory_OtherUser_Gets403WhetherOrNotTheObjectExists()
    {
        await _admin.PutAsync("/api/v1/files/private/secret.txt", new StringContent("s"));
        await _admin.PatchAsync("/api/v1/meta/private", Json("""{"set":{"md":448}}""")); // 0700
        var bob = await _server.UserAsync("bob");

        var existing = await (await bob.GetAsync("/api/v1/stat/private/secret.txt")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        var missing = await (await bob.GetAsync("/api/v1/stat/private/nothing.txt")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        existing.ShouldBe(missing, "the answer must not tell an existing object from a missing one");
        await (await bob.GetAsync("/api/v1/files/private/secret.txt")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await bob.GetAsync("/api/v1/ls/private")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await bob.PutAsync("/api/v1/files/private/planted.txt", new StringContent("x"))).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await bob.DeleteAsync("/api/v1/objects/private?recursive=true")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await bob.PostAsync("/api/v1/move", Json("""{"from":"/private/secret.txt","to":"/stolen.txt"}"""))).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        (await _server.Server.Tree.FindAsync("/private/planted.txt")).ShouldBeNull();
        (await _server.Server.Tree.FindAsync("/private/secret.txt")).ShouldNotBeNull();

        var found = await (await bob.PostAsync("/api/v1/query", Json("""{"where":{"nm":"secret.txt"}}"""))).JsonAsync();
        found.GetProperty("items").GetArrayLength().ShouldBe(0, "a query never returns what the caller may not read");
    }

    [Fact]
    public async Task ListingLeaksWhatStatRefuses_PrivateFileInAPublicDirectory_ListedByNameAndKindOnly()
    {
        await _admin.PutAsync("/api/v1/files/pub/open.txt", new StringContent("o"));
        await _admin.PutAsync("/api/v1/files/pub/secret.txt", new StringContent("s"));
        await _admin.PatchAsync("/api/v1/meta/pub/secret.txt", Json("""{"set":{"md":448,"owner":"finance","lbls":["payroll"]}}""")); // 0700
        var bob = await _server.UserAsync("bob");
        await (await bob.GetAsync("/api/v1/stat/pub/secret.txt")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");

        var items = (await (await bob.GetAsync("/api/v1/ls/pub")).JsonAsync()).GetProperty("items").EnumerateArray().ToList();

        items.Select(i => i.Str("nm")).ShouldBe(["open.txt", "secret.txt"]);
        items[0].Str("sha256").ShouldNotBeNull("a readable entry is listed whole");
        var hidden = items[1];
        hidden.EnumerateObject().Select(p => p.Name).Order().ShouldBe(["hidden", "nm", "ph", "race"]);
        hidden.GetProperty("hidden").GetBoolean().ShouldBeTrue();
        var admins = (await (await _admin.GetAsync("/api/v1/ls/pub")).JsonAsync()).GetProperty("items").EnumerateArray().ToList();
        admins[1].Str("owner").ShouldBe("finance", "an admin may read everything and sees it whole");
    }

    [Fact]
    public async Task HomeDirectory_Owner_CreatesFilesStampedWithOwnerAndInheritedMode()
    {
        await _admin.PostAsync("/api/v1/dirs/home/carol", null);
        await _admin.PatchAsync("/api/v1/meta/home/carol", Json("""{"set":{"c":"carol","md":488}}""")); // 0750
        var carol = await _server.UserAsync("carol");

        var put = await (await carol.PutAsync("/api/v1/files/home/carol/notes.txt", new StringContent("mine"))).JsonAsync(HttpStatusCode.Created);
        put.Str("c").ShouldBe("carol");
        put.Str("m").ShouldBe("carol");
        put.GetProperty("md").GetInt32().ShouldBe(416, "a file takes its directory's mode without list bits: 0640");
        var dir = await (await carol.PostAsync("/api/v1/dirs/home/carol/sub", null)).JsonAsync(HttpStatusCode.Created);
        dir.GetProperty("md").GetInt32().ShouldBe(488);

        // The owner is stamped by the server, never taken from the client.
        await (await carol.PatchAsync("/api/v1/meta/home/carol/notes.txt", Json("""{"set":{"c":"admin"}}"""))).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        (await (await carol.PatchAsync("/api/v1/meta/home/carol/notes.txt", Json("""{"set":{"md":384}}"""))).JsonAsync()).GetProperty("md").GetInt32().ShouldBe(384);

        // Another user may not write there, nor read the 0600 file, but lists nothing at all: 0750 gives others nothing.
        var dave = await _server.UserAsync("dave");
        await (await dave.GetAsync("/api/v1/ls/home/carol")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await dave.PutAsync("/api/v1/files/home/carol/x.txt", new StringContent("x"))).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task GroupBits_MemberOfGroup_MayWriteOthersMayOnlyRead()
    {
        await _admin.PostAsync("/api/v1/dirs/team", null);
        await _admin.PatchAsync("/api/v1/meta/team", Json("""{"set":{"g":"eng","md":509}}""")); // 0775
        var erin = await _server.UserAsync("erin", "eng");
        var frank = await _server.UserAsync("frank");

        (await erin.PutAsync("/api/v1/files/team/plan.txt", new StringContent("v1"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await (await frank.GetAsync("/api/v1/stat/team/plan.txt")).JsonAsync()).Str("g").ShouldBe("eng");
        (await frank.GetStringAsync("/api/v1/files/team/plan.txt")).ShouldBe("v1");
        await (await frank.PutAsync("/api/v1/files/team/plan.txt", new StringContent("hacked"))).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await frank.PutAsync("/api/v1/files/team/new.txt", new StringContent("x"))).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        (await frank.GetStringAsync("/api/v1/files/team/plan.txt")).ShouldBe("v1");
    }

    [Fact]
    public async Task AdminOperations_NonAdmin_Gets403()
    {
        var gina = await _server.UserAsync("gina");
        await (await gina.PutAsync("/api/v1/mounts/tmp", Json("""{"mount":"mem"}"""))).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await gina.PostAsync("/api/v1/admin/fsck", null)).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await gina.PostAsync("/api/v1/admin/sweep", null)).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await gina.GetAsync("/api/v1/ls/sys")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await gina.GetAsync("/api/v1/stat/sys/users/admin")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        (await (await _admin.PostAsync("/api/v1/admin/fsck", null)).JsonAsync()).GetProperty("consistent").GetBoolean().ShouldBeTrue();
    }
}
