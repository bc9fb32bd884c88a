using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Grove.Client.Tests;

/// <summary><c>services.AddGroveClient(…)</c>: a working client from the container.</summary>
public sealed class ServiceCollectionTests : ClientTestBase
{
    [Fact]
    public async Task AddGroveClient_WithApiKey_ResolvesAClientThatCallsTheServer()
    {
        var key = await Admin.CreateApiKeyAsync("service");
        var services = new ServiceCollection();
        services.AddGroveClient(o =>
        {
            o.BaseAddress = Server.Address;
            o.ApiKey = key.Key;
        });
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<GroveClient>();
        await client.MkdirAsync("/from-di");

        (await client.MeAsync()).User.ShouldBe("admin");
        client.BaseAddress.ShouldBe(Server.Address);
        (await Admin.StatAsync("/from-di")).Creator.ShouldBe("admin");
        provider.GetRequiredService<IHttpClientFactory>().ShouldNotBeNull();
    }

    [Fact]
    public async Task AddGroveClient_WithoutToken_ClientCanLogIn()
    {
        var services = new ServiceCollection();
        services.AddGroveClient(o => o.BaseAddress = new Uri(Server.Address, "/"));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<GroveClient>();

        await ShouldBeRefusedAsync(() => client.StatAsync("/"), 401, GroveErrorCode.Unauthorized);
        await client.LoginAsync("admin", RunningServer.AdminPassword);

        (await client.StatAsync("/")).IsDirectory.ShouldBeTrue();
    }

    [Fact]
    public async Task AddGroveClient_WithoutAddress_FailsValidationOnResolve()
    {
        var services = new ServiceCollection();
        services.AddGroveClient(o => o.Token = "t");
        await using var provider = services.BuildServiceProvider();

        Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<GroveClient>());
    }
}
