using System.Net;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Grove.Config;
using Grove.Server.Internal;
using Grove.Server.Internal.Config;
using Grove.Tree;

namespace Grove.Server.Tests.Properties;

/// <summary>
/// The HTTP layer's parsers under generated input (issue 12, standing check): Diamond/Nacos probe strings, raw path
/// segments and Range headers are parsed or refused with a stable code, never another exception.
/// </summary>
public sealed class HttpParserProperties
{
    private const int Runs = 1000;

    private static Arbitrary<string> Texts(params string[] tokens) =>
        Gen.OneOf(
                Gen.ArrayOf(Gen.Elements(tokens)).Select(string.Concat),
                ArbMap.Default.ArbFor<string>().Generator.Select(s => s ?? ""))
            .ToArbitrary();

    [Property(MaxTest = Runs)]
    public Property DiamondProbe_AnyText_ParsesOrIsInvalidArgument() =>
        Prop.ForAll(
            Texts("\u0002", "\u0001", "app.yaml", "DEFAULT_GROUP", "d41d8cd98f00b204e9800998ecf8427e", "D41D8CD98F00B204E9800998ECF8427E", "ns", "%02", "%01", "+", "a b", "..", "", "é"),
            text =>
            {
                try
                {
                    var entries = ProbeText.Parse(text, "Probe-Modify-Request");
                    return entries.Count > 0 && entries.All(e => (e.Probe.Md5 ?? "").Length is 0 or 32);
                }
                catch (ConfigException e)
                {
                    return e.Code == ConfigErrorCode.InvalidArgument;
                }
            });

    [Property(MaxTest = Runs)]
    public Property RawPathSegment_AnyText_AcceptedOrRefusedWithAPathCode() =>
        Prop.ForAll(Texts("%2e", "%2E", ".", "..", "%2f", "%2F", "%", "%0", "%ff", "%c3", "%a9", "%0d", "%0a", "a", "é", "\\", "%5c"), ArbMap.Default.ArbFor<bool>(), (segment, tree) =>
        {
            var refusal = RequestShapeMiddleware.CheckSegment(segment, tree);
            return refusal is null || refusal.Code is TreeErrorCode.InvalidName or TreeErrorCode.PathEscape;
        });
}

/// <summary>Range headers of any shape against a real file: 200, 206 or 416, never an error (RFC 9110).</summary>
public sealed class RangeHeaderProperties : IAsyncLifetime
{
    private RunningServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        _admin = await _server.AdminAsync();
        await _admin.PutAsync("/api/v1/files/r.bin", new ByteArrayContent(Enumerable.Range(0, 100).Select(i => (byte)i).ToArray()));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task RangeHeader_GeneratedValues_AnswerWholeOrPartOrUnsatisfiable()
    {
        var gen = Gen.OneOf(
            Gen.ArrayOf(Gen.Elements("bytes", "items", "=", "-", ",", "0", "1", "99", "100", "200", "-5", " ", "9999999999999999999999", "a", ";", "BYTES")).Select(string.Concat),
            ArbMap.Default.ArbFor<string>().Generator.Select(s => s ?? ""));
        foreach (var range in gen.Sample(20, 200).Where(r => r.All(c => c is >= ' ' and < (char)0x7F)))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/files/r.bin");
            request.Headers.TryAddWithoutValidation("Range", range);
            using var response = await _admin.SendAsync(request);
            var body = await response.Content.ReadAsByteArrayAsync();
            response.StatusCode.ShouldBeOneOf([HttpStatusCode.OK, HttpStatusCode.PartialContent, HttpStatusCode.RequestedRangeNotSatisfiable], $"Range: {range}");
            if (!range.TrimStart().StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
            {
                response.StatusCode.ShouldBe(HttpStatusCode.OK, $"Range: {range} is not in bytes");
                body.Length.ShouldBe(100);
            }
        }
    }
}
