using Xunit.Abstractions;

namespace Grove.Queues.Tests;

/// <summary>A queue in a <c>redis(Key)</c> mount whose content goes to the default bucket: a push writes its file through the tree.</summary>
public sealed class RedisQueueTests(ITestOutputHelper output) : RedisQueueContract(output, "mq(jobs)");

/// <summary>A queue with <c>redis(Name)</c> storage: a push is one script (the file's row, its content and its stream entry).</summary>
public sealed partial class RedisStorageQueueTests(ITestOutputHelper output) : RedisQueueContract(output, "mq(jobs)://redis(jobs)");
