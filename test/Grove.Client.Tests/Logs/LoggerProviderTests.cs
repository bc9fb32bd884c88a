using Microsoft.Extensions.Logging;

namespace Grove.Client.Tests.Logs;

/// <summary>ILogger output of a task goes to its log through the reporter.</summary>
public sealed class LoggerProviderTests : ClientTestBase
{
    [Fact]
    public async Task Logger_MessagesAndExceptions_BecomeLinesOfTheTaskLog()
    {
        await using var log = await GroveLogReporter.StartAsync(Admin, "with ILogger");
        using (var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddGroveTaskLog(log, new GroveLogLoggerOptions { IncludeScopes = true })))
        {
            var logger = factory.CreateLogger("Import");
            logger.LogDebug("not written: below the provider's level");
            logger.LogInformation("read {Rows} rows", 1200);
            using (logger.BeginScope("batch 7"))
            {
                logger.LogWarning("slow disk");
            }

            logger.LogError(new InvalidOperationException("broken\nrecord"), "import failed");
        }

        (await log.FlushAsync()).ShouldBeTrue();
        var lines = (await Admin.ReadLogAsync(log.TaskId)).Lines.Select(l => l.Text).ToList();
        lines[0].ShouldBe("info: Import: read 1200 rows");
        lines[1].ShouldBe("warn: Import: batch 7 => slow disk");
        lines[2].ShouldBe("fail: Import: import failed");
        lines[3].ShouldBe("System.InvalidOperationException: broken");
        lines[4].ShouldBe("record");
        lines.Count.ShouldBe(5);
    }

    [Fact]
    public async Task Logger_Colors_MarkTheLevelWithAnsiCodes()
    {
        await using var log = await GroveLogReporter.StartAsync(Admin, "colors");
        var provider = new GroveLogLoggerProvider(log, new GroveLogLoggerOptions { Colors = true, IncludeCategory = false });
        provider.CreateLogger("x").LogWarning("careful");
        (await log.FlushAsync()).ShouldBeTrue();
        (await Admin.ReadLogAsync(log.TaskId)).Lines.ShouldHaveSingleItem().Text.ShouldBe("\u001b[33mwarn\u001b[0m: careful");
    }
}
