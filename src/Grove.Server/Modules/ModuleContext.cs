using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Grove.Server.Modules;

/// <summary>What a module is given when it opens: the server's options and configuration, its services, and the modules opened before it.</summary>
public sealed class ModuleContext
{
    private readonly List<IGroveModule> _opened = [];

    internal ModuleContext(GroveServerOptions options, IConfiguration configuration, IServiceProvider services, ILoggerFactory loggers)
    {
        Options = options;
        Configuration = configuration;
        Services = services;
        Loggers = loggers;
    }

    /// <summary>The server's options (each module reads its own section's property).</summary>
    public GroveServerOptions Options { get; }

    /// <summary>The whole configuration, for settings a module reads by key.</summary>
    public IConfiguration Configuration { get; }

    /// <summary>The host's services.</summary>
    public IServiceProvider Services { get; }

    /// <summary>The host's loggers.</summary>
    public ILoggerFactory Loggers { get; }

    /// <summary>The opened module of type <typeparamref name="T"/>; throws when it is not composed or not open yet.</summary>
    public T Get<T>()
        where T : IGroveModule =>
        _opened.OfType<T>().FirstOrDefault()
            ?? throw new InvalidOperationException($"module {typeof(T).Name} is not open; compose it before the modules that need it");

    internal void Opened(IGroveModule module) => _opened.Add(module);
}
