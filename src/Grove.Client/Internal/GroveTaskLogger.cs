using System.Text;
using Microsoft.Extensions.Logging;

namespace Grove.Client.Internal;

/// <summary>One category's logger of a <see cref="GroveLogLoggerProvider"/>.</summary>
internal sealed class GroveTaskLogger(GroveLogLoggerProvider provider, string category) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => provider.Scopes?.Push(state);

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= provider.Options.MinLevel;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        // Note that the reporter's own HTTP calls may log: feeding those back would make every batch cause another.
        if (!IsEnabled(logLevel) || GroveLogReporter.IsSenderContext)
        {
            return;
        }

        string message;
        try
        {
            message = formatter(state, exception);
        }
        catch (FormatException e)
        {
            message = "[grove: the log message could not be formatted: " + e.Message + "]";
        }

        var o = provider.Options;
        var text = new StringBuilder(message.Length + 64);
        text.Append(o.Colors ? Colored(logLevel) : Label(logLevel)).Append(": ");
        if (o.IncludeCategory)
        {
            text.Append(category).Append(": ");
        }

        if (o.IncludeScopes && provider.Scopes is { } scopes)
        {
            scopes.ForEachScope((scope, sb) => sb.Append(scope).Append(" => "), text);
        }

        text.Append(message);
        if (exception is not null)
        {
            text.Append('\n').Append(exception);
        }

        provider.Reporter.Write(text.ToString());
    }

    private static string Label(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        _ => "crit",
    };

    private static string Colored(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "\u001b[90m" + Label(level) + "\u001b[0m",
        LogLevel.Information => "\u001b[32m" + Label(level) + "\u001b[0m",
        LogLevel.Warning => "\u001b[33m" + Label(level) + "\u001b[0m",
        _ => "\u001b[1;31m" + Label(level) + "\u001b[0m",
    };
}
