using System.Net;
using System.Text.Json;

namespace Grove.Server.Tests;

/// <summary>Reading answers: JSON bodies and problem+json codes.</summary>
internal static class ApiAssertions
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text);
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    /// <summary>Asserts a problem+json answer with the status and stable code; returns its detail.</summary>
    public static async Task<string> ProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        using var doc = JsonDocument.Parse(text);
        doc.RootElement.GetProperty("code").GetString().ShouldBe(code, text);
        doc.RootElement.GetProperty("status").GetInt32().ShouldBe((int)status);
        return doc.RootElement.GetProperty("detail").GetString()!;
    }

    public static string Str(this JsonElement e, string name) => e.GetProperty(name).GetString()!;

    public static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
