namespace Grove.Identity.Tests;

/// <summary>A real tree on SQLite in a temp folder, a manual clock, and cheap password hashing.</summary>
public abstract class IdentityTestBase : IAsyncLifetime
{
    protected const string AdminPassword = "admin-password-1";
    protected const string Client = "198.51.100.7";

    private readonly List<IAsyncDisposable> _open = [];

    protected TempFolder Folder { get; } = new();

    protected ManualTime Clock { get; } = new();

    protected TreeService Tree { get; private set; } = null!;

    protected IdentityService Identity { get; private set; } = null!;

    protected IdentityOptions Options => new()
    {
        PasswordIterations = 1000,
        AdminPassword = AdminPassword,
        Time = Clock,
    };

    public virtual async Task InitializeAsync()
    {
        Tree = await TreeService.OpenAsync(new TreeOptions { DataPath = Folder.Path, Time = Clock });
        Identity = await OpenIdentityAsync(Options);
    }

    protected async Task<IdentityService> OpenIdentityAsync(IdentityOptions options, TreeService? tree = null)
    {
        var identity = await IdentityService.OpenAsync(tree ?? Tree, options);
        _open.Add(identity);
        return identity;
    }

    protected static Principal Admin => new("admin", ["admin"], true);

    /// <summary>Creates a non-admin user and returns their principal as authentication would give it.</summary>
    protected async Task<Principal> UserAsync(string name, params string[] groups)
    {
        await Identity.CreateUserAsync(Principal.System, name, name + "-password", groups, admin: false);
        var login = await Identity.LoginAsync(name, name + "-password", Client);
        return (await Identity.AuthenticateAsync(login.Token))!;
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var o in _open)
        {
            await o.DisposeAsync();
        }

        if (Tree is not null)
        {
            await Tree.DisposeAsync();
        }

        Folder.Dispose();
    }
}
