using BenchmarkDotNet.Running;
using Grove.Bench;

// Side-by-side suites print Grove's figures next to their peer's, measured in the same run on the same disk.
//   tree  [--n 1000000] [--store postgres://…] [--no-feed] Grove's tree vs a plain SQLite table (or plain PostgreSQL table)
//   blob  [--mib 1024]                            put/get of one big file vs dd bs=1M conv=fsync, plus dedup
//   nodes --store postgres://…                     two nodes on one database: how long a change takes to show
//   config [--n 5000] [--store …]                 the config engine: publishes/s, memory reads/s, long-poll wake-up and memory
//   config-http --server URL --token T [--pid P] [--etcd URL]   the config center over HTTP (bench/config-http.sh)
//   logs  [--n 1000000] [--read 10000000]         task logs: ingest vs row-per-line SQL and a plain file, pages, archive size vs gzip -6
//   logshttp [--n 1000000] [--read 10000000] [--download 15000000] [--no-viewer]  task logs over HTTP: GroveLogReporter ingest, pages, follow,
//                                                 the console's viewer (Playwright), server memory under ten downloads
//   s3    [--mib 1024]                            the s3(Name) bucket vs bare AWSSDK.S3 on one s3rver (GROVE_S3RVER), plus dedup
//   redis [--n 20000] [--no-feed]                   the redis(Key) index vs raw StackExchange.Redis HSET/HGETALL/ZRANGE (redis-server)
//   queue [--n 4000] [--store postgres://…]       queue push+claim+ack with 1, 4, 16 consumers vs bare SKIP LOCKED (same database) and bare Redis Streams
//   hooks [--n 500] [--store postgres://…]        write ack → webhook received (one node; two nodes on PostgreSQL), watch under 1,000 writes/s
//   messages [--n 5000] [--no-http]               partner messages: receive (in process, over HTTP: wrk when installed) vs row-per-field SQLite, storage, print p99
//   messages-print [--n 1000] [--zip-n 1000]       batch print of n 220-field messages as one streamed PDF (pages/s, memory sampled per write) vs a zip of zip-n
//   migrate [--n 20000] [--workers 2]            grove messages migrate from a generated legacy SQLite table vs a bare full scan of it
//   memory import|load [--entries 2500] [--kib 100] [--conns 200] [--seconds 30] [--after 60] [--env DOTNET_X=Y]
//                                                 the server's RSS (separate Release process) under one big config import or mixed load
//   records [--n 1000000] [--store postgres://…]   record sets grown to N with rotation vs one big table, the seed's deep page, pg_partman (PostgreSQL)
//   micro [BenchmarkDotNet args]                  in-process micro-benchmarks (warm stat, cold child lookup)
var verb = args.FirstOrDefault() ?? "tree";
var rest = args.Skip(1).ToArray();
return verb switch
{
    "tree" => await TreeSuite.RunAsync(BenchArgs.Parse(rest)),
    "blob" => await BlobSuite.RunAsync(BenchArgs.Parse(rest)),
    "nodes" => await NodesSuite.RunAsync(BenchArgs.Parse(rest)),
    "config" => await ConfigSuite.RunAsync(BenchArgs.Parse(rest)),
    "config-http" => await ConfigHttpSuite.RunAsync(rest),
    "logs" => await LogsSuite.RunAsync(BenchArgs.Parse(rest), ReadLines(rest)),
    "logshttp" => await LogsHttpSuite.RunAsync(BenchArgs.Parse(rest), ReadLines(rest), !rest.Contains("--no-viewer"), Option(rest, "--download")),
    "s3" => await S3Suite.RunAsync(BenchArgs.Parse(rest)),
    "redis" => await RedisSuite.RunAsync(BenchArgs.Parse(rest)),
    "queue" => await QueueSuite.RunAsync(BenchArgs.Parse(rest)),
    "hooks" => await HookSuite.RunAsync(BenchArgs.Parse(rest)),
    "messages" => await MessagesSuite.RunAsync((int)(Option(rest, "--n") ?? 5000), !rest.Contains("--no-http")),
    "migrate" => await MigrateSuite.RunAsync((int)(Option(rest, "--n") ?? 20000), (int)(Option(rest, "--workers") ?? 2)),
    "messages-stages" => await MessagesStages.RunAsync((int)(Option(rest, "--n") ?? 2000)),
    "messages-print" => await MessagesPrintBench.RunAsync((int)(Option(rest, "--n") ?? 1000), (int)(Option(rest, "--zip-n") ?? 1000)),
    "migrate-stages" => await MigrateStages.RunAsync((int)(Option(rest, "--n") ?? 2000)),
    "memory" => await MemorySuite.RunAsync(rest),
    "records" => await RecordsSuite.RunAsync(rest),
    "records-rotation" => await RotationLatencySuite.RunAsync(rest),
    "records-probe" => await RecordsProbe.RunAsync(rest),
    "micro" => Micro(rest),
    _ => Usage(),
};

static long ReadLines(string[] rest)
{
    var i = Array.IndexOf(rest, "--read");
    return i >= 0 && i + 1 < rest.Length ? long.Parse(rest[i + 1], System.Globalization.CultureInfo.InvariantCulture) : 10_000_000;
}

static long? Option(string[] rest, string name)
{
    var i = Array.IndexOf(rest, name);
    return i >= 0 && i + 1 < rest.Length ? long.Parse(rest[i + 1], System.Globalization.CultureInfo.InvariantCulture) : null;
}

static int Micro(string[] rest)
{
    BenchmarkSwitcher.FromAssembly(typeof(StatBenchmarks).Assembly).Run(rest);
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: Grove.Bench tree|blob|nodes|config|logs|logshttp|records|records-rotation|queue|messages|memory|micro [--n N] [--mib M] [--store S] [--dir D]");
    return 64;
}
