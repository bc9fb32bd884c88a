using System.Diagnostics;
using Amazon.S3;
using Amazon.S3.Model;
using Grove.Tree;
using Grove.Tree.S3;
using Grove.Tree.S3.Internal;

namespace Grove.Bench;

/// <summary>
/// The object-storage bucket against the bare AWSSDK.S3 client on the same s3rver: put and get of one <c>--mib</c> MiB
/// file (multipart, same part size and parallelism), and ten puts of the same 100 MiB uploading it once.
/// </summary>
internal static class S3Suite
{
    private const int MiB = 1 << 20;
    private const int PartSize = 16 << 20;
    private const int Parallelism = 4;

    public static async Task<int> RunAsync(BenchArgs a)
    {
        var exe = Environment.GetEnvironmentVariable("GROVE_S3RVER") ?? throw new InvalidOperationException("set GROVE_S3RVER to the s3rver executable");
        Directory.CreateDirectory(a.Dir);
        var store = Directory.CreateDirectory(Path.Combine(a.Dir, "s3rver")).FullName;
        using var server = ChildServer.Start(exe, port => ["-d", store, "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent"]);
        var settings = new Dictionary<string, string?>
        {
            ["Buckets:bench:ServiceUrl"] = $"http://127.0.0.1:{server.Port}",
            ["Buckets:bench:Bucket"] = "bench",
            ["Buckets:bench:Prefix"] = "grove",
            ["Buckets:bench:ForcePathStyle"] = "true",
            ["Buckets:bench:AccessKey"] = "S3RVER",
            ["Buckets:bench:SecretKey"] = "S3RVER",
            ["Buckets:bench:PartSize"] = PartSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Buckets:bench:Parallelism"] = Parallelism.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        using var raw = S3BucketProvider.CreateClient(S3BucketSettings.Read("bench", settings, "bench"));
        await raw.PutBucketAsync(new PutBucketRequest { BucketName = "bench" });
        var src = Path.Combine(a.Dir, "src.bin");
        await BlobSuite.MakeSourceAsync(src, a.Mib);

        await using var tree = await TreeService.OpenAsync(new TreeOptions
        {
            DataPath = Path.Combine(a.Dir, "grove"),
            Storage = Grove.Tree.Storage.StorageRegistry.CreateDefault().AddS3(),
            Settings = settings,
            DefaultBucket = "s3(bench)",
            ReclaimInterval = TimeSpan.Zero,
        });

        // Each round writes different bytes (a counter in the first MiB) so that de-duplication never skips the upload.
        var (puts, peerPuts, gets, peerGets) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        for (var round = 0; round < 3; round++)
        {
            Stamp(src, round * 2);
            var sw = Stopwatch.StartNew();
            await using (var input = File.OpenRead(src))
            {
                await tree.WriteAsync($"/big{round}.bin", input);
            }

            puts.Add(a.Mib / sw.Elapsed.TotalSeconds);
            Stamp(src, (round * 2) + 1);
            sw.Restart();
            await PeerPutAsync(raw, src, $"peer/{round}.bin");
            peerPuts.Add(a.Mib / sw.Elapsed.TotalSeconds);

            sw.Restart();
            await using (var output = File.Create(Path.Combine(a.Dir, "get.bin")))
            {
                await using var content = await tree.OpenReadAsync($"/big{round}.bin");
                await content.CopyToAsync(output, MiB);
            }

            gets.Add(a.Mib / sw.Elapsed.TotalSeconds);
            sw.Restart();
            await using (var output = File.Create(Path.Combine(a.Dir, "get.bin")))
            {
                using var response = await raw.GetObjectAsync("bench", $"peer/{round}.bin");
                await response.ResponseStream.CopyToAsync(output, MiB);
            }

            peerGets.Add(a.Mib / sw.Elapsed.TotalSeconds);
        }

        var report = new Report($"S3 bucket vs bare AWSSDK.S3 on one s3rver, one {a.Mib:N0} MiB file, parts of {PartSize / MiB} MiB x{Parallelism}");
        report.Add("put (MiB/s; Grove hashes, spools, HEADs, then uploads)", Median(puts), Median(peerPuts), "MiB/s");
        report.Add("get to a file (MiB/s)", Median(gets), Median(peerGets), "MiB/s");
        report.Print();

        var hundred = Path.Combine(a.Dir, "hundred.bin");
        await BlobSuite.MakeSourceAsync(hundred, 100, seed: 2);
        var before = await CountAsync(raw);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 10; i++)
        {
            await using var input = File.OpenRead(hundred);
            await tree.WriteAsync($"/copies/c{i}.bin", input);
        }

        Console.WriteLine();
        Console.WriteLine($"Ten puts of the same 100 MiB: {await CountAsync(raw) - before} new object(s) in the bucket, {watch.Elapsed.TotalSeconds:0.0} s in all.");
        Directory.Delete(a.Dir, recursive: true);
        return 0;
    }

    private static void Stamp(string path, int value)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Write);
        f.Write(BitConverter.GetBytes(value ^ 0x5a5a5a5a));
    }

    private static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);

    private static async Task<int> CountAsync(IAmazonS3 raw)
    {
        var n = 0;
        string? token = null;
        do
        {
            var page = await raw.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "bench", Prefix = "grove/", ContinuationToken = token });
            n += page.S3Objects?.Count ?? 0;
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
        return n;
    }

    /// <summary>What a program using the SDK directly does: a multipart upload, parts read from the file in parallel.</summary>
    private static async Task PeerPutAsync(IAmazonS3 raw, string path, string key)
    {
        var length = new FileInfo(path).Length;
        var id = (await raw.InitiateMultipartUploadAsync("bench", key)).UploadId;
        var count = (int)((length + PartSize - 1) / PartSize);
        var etags = new PartETag[count];
        await Parallel.ForEachAsync(Enumerable.Range(1, count), new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (part, ct) =>
        {
            var start = (long)(part - 1) * PartSize;
            var r = await raw.UploadPartAsync(new UploadPartRequest
            {
                BucketName = "bench",
                Key = key,
                UploadId = id,
                PartNumber = part,
                FilePath = path,
                FilePosition = start,
                PartSize = Math.Min(PartSize, length - start),
                UseChunkEncoding = false,
            }, ct);
            etags[part - 1] = new PartETag(part, r.ETag);
        });
        await raw.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = "bench", Key = key, UploadId = id, PartETags = [.. etags] });
    }
}
