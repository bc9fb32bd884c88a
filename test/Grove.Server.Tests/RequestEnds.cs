using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Grove.Server.Tests;

/// <summary>
/// Watches ASP.NET Core's hosting diagnostics for requests that ended (after every middleware, error handling included),
/// so a test can wait for the server to be done with a request the client walked away from.
/// </summary>
internal sealed class RequestEnds : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly ConcurrentQueue<string> _paths = new();
    private readonly List<IDisposable> _subscriptions = [];
    private readonly IDisposable _all;

    public RequestEnds() => _all = DiagnosticListener.AllListeners.Subscribe(this);

    /// <summary>How many requests whose path contains <paramref name="fragment"/> have ended.</summary>
    public int Count(string fragment) => _paths.Count(p => p.Contains(fragment, StringComparison.Ordinal));

    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == "Microsoft.AspNetCore")
        {
            lock (_subscriptions)
            {
                _subscriptions.Add(value.Subscribe(this, name => name == "Microsoft.AspNetCore.Hosting.EndRequest"));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        var ctx = value.Value as HttpContext ?? value.Value?.GetType().GetProperty("httpContext")?.GetValue(value.Value) as HttpContext;
        if (ctx is not null)
        {
            _paths.Enqueue(ctx.Request.Path.Value ?? "");
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        _all.Dispose();
        lock (_subscriptions)
        {
            _subscriptions.ForEach(s => s.Dispose());
        }
    }
}
