using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Grove.Server.Tests.Access.AccessFixture;

namespace Grove.Server.Tests.Access;

/// <summary>
/// Standing check (issue 12): every route of the server × every kind of caller, against the expected answers of
/// <see cref="AccessTable.Rows"/>. The routes come from the app's own route table, so a new route without a row fails
/// <see cref="RouteTable_EveryRouteHasAnExpectation"/>.
/// </summary>
public sealed class AccessMatrixTests(ITestOutputHelper output) : IAsyncLifetime
{
    private AccessFixture _f = null!;

    public async Task InitializeAsync() => _f = await AccessFixture.StartAsync();

    public async Task DisposeAsync() => await _f.DisposeAsync();

    /// <summary>"GET /api/v1/files/{**path}" for each endpoint of the running server (HEAD and OPTIONS ride along with GET).</summary>
    private IReadOnlyList<string> Routes()
    {
        var source = _f.Server.Server.Services.GetRequiredService<EndpointDataSource>();
        var routes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["ANY"];
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
            foreach (var method in methods.Where(m => m is not "HEAD" and not "OPTIONS"))
            {
                routes.Add($"{method} {pattern}");
            }
        }

        return [.. routes];
    }

    [Fact]
    public void RouteTable_EveryRouteHasAnExpectation()
    {
        var routes = Routes();
        var expected = AccessTable.Rows.Select(r => r.Route).ToHashSet(StringComparer.Ordinal);
        var missing = routes.Where(r => !expected.Contains(r)).ToList();
        var stale = expected.Where(r => !routes.Contains(r)).ToList();
        missing.ShouldBeEmpty("routes without a row in AccessTable.Rows (add one with its expected answers):\n" + string.Join('\n', missing));
        stale.ShouldBeEmpty("rows for routes the server no longer has:\n" + string.Join('\n', stale));
    }

    [Fact]
    public async Task EveryRoute_EveryCaller_AnswersAsTheTableSays()
    {
        var failures = new List<string>();
        var observed = new StringBuilder();
        // Note that destructive rows run last, and within a row the callers who must be refused go first.
        foreach (var row in AccessTable.Rows.OrderBy(r => r.Last))
        {
            var line = new StringBuilder();
            foreach (var caller in CallerOrder)
            {
                var expect = row.Expect[(int)Column(caller)];
                var (status, body) = await SendAsync(row, caller);
                var got = Classify(status);
                line.Append(got);
                if (!Matches(expect, got))
                {
                    failures.Add($"{row.Route} ({row.Sample}) as {caller}: expected {Describe(expect)}, got {status} {Shorten(body)}");
                }
                else if (row.Marker is { } marker && caller is Caller.Owner or Caller.Admin or Caller.Other
                    && body.Contains(marker, StringComparison.Ordinal) != (caller != Caller.Other))
                {
                    failures.Add($"{row.Route} ({row.Sample}) as {caller}: the listing {(caller == Caller.Other ? "shows" : "lacks")} {marker}: {Shorten(body)}");
                }
            }

            observed.AppendLine($"{Reorder(line.ToString())}  {row.Route}");
        }

        output.WriteLine("observed (anon owner member other admin key signed-out past-lifetime key-past-expiry):\n" + observed);
        failures.ShouldBeEmpty(string.Join('\n', failures));
    }

    private static readonly Caller[] CallerOrder =
        [Caller.Anonymous, Caller.Expired, Caller.PastLifetime, Caller.KeyPastExpiry, Caller.Other, Caller.Member, Caller.Key, Caller.Owner, Caller.Admin];

    /// <summary>The table's column for a caller: every expired credential (signed out, past its lifetime, a key past its expiry) has the "expired" column.</summary>
    private static Caller Column(Caller caller) => caller is Caller.PastLifetime or Caller.KeyPastExpiry ? Caller.Expired : caller;

    private static string Reorder(string inOrder)
    {
        var chars = new char[CallerOrder.Length];
        for (var i = 0; i < CallerOrder.Length; i++)
        {
            chars[(int)CallerOrder[i]] = inOrder[i];
        }

        return new string(chars);
    }

    private async Task<(int Status, string Body)> SendAsync(AccessRow row, Caller caller)
    {
        var sample = row.Sample.Replace("{task}", _f.TaskId, StringComparison.Ordinal)
            .Replace("{key}", _f.VictimKeyId, StringComparison.Ordinal)
            .Replace("{hook}", _f.HookId, StringComparison.Ordinal)
            .Replace("{msg}", _f.MessageId, StringComparison.Ordinal)
            .Replace("{fid}", _f.FileId, StringComparison.Ordinal);
        var space = sample.IndexOf(' ', StringComparison.Ordinal);
        using var request = new HttpRequestMessage(new HttpMethod(sample[..space]), sample[(space + 1)..]);
        if (row.Body is { } body)
        {
            request.Content = new StringContent(body, Encoding.UTF8, row.ContentType);
        }

        if (_f.Token(caller, row.Route) is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            using var response = await _f.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            var text = "";
            if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
            {
                text = await response.Content.ReadAsStringAsync(cts.Token);
            }

            return ((int)response.StatusCode, text);
        }
        catch (OperationCanceledException)
        {
            return (0, "(held open: a long poll or stream)");
        }
    }

    /// <summary>'1' 401, '3' 403, '4' 404, '+' any other answer below 500 (or a held stream), '!' a server error.</summary>
    private static char Classify(int status) => status switch
    {
        401 => '1',
        403 => '3',
        404 => '4',
        >= 500 => '!',
        _ => '+',
    };

    private static bool Matches(char expect, char got) => expect switch
    {
        '+' => got is '+' or '4',
        _ => expect == got,
    };

    private static string Describe(char c) => c switch
    {
        '1' => "401",
        '3' => "403",
        '4' => "404",
        _ => "an answer (not 401/403/5xx)",
    };

    private static string Shorten(string s) => s.Length <= 200 ? s : s[..200] + "…";
}
