using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grove.Client;

/// <summary>Adds a task log to a logging setup.</summary>
public static class GroveLogLoggingExtensions
{
    /// <summary>Sends the <see cref="ILogger"/> output at or above <see cref="GroveLogLoggerOptions.MinLevel"/> to <paramref name="reporter"/>'s task log.</summary>
    public static ILoggingBuilder AddGroveTaskLog(this ILoggingBuilder builder, GroveLogReporter reporter, GroveLogLoggerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<ILoggerProvider>(new GroveLogLoggerProvider(reporter, options));
        return builder;
    }
}
