using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Recoup.Web.Tests;

internal static class Json
{
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static async Task<JsonElement> GetAsync(HttpClient client, string url) => await ReadAsync(await client.GetAsync(url));

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string url, object body, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return client.SendAsync(request);
    }

    public static string Str(this JsonElement element, string name) => element.GetProperty(name).GetString()!;

    public static IEnumerable<JsonElement> Items(this JsonElement page) => page.GetProperty("items").EnumerateArray();

    /// <summary>Asserts an RFC 9457 problem document with the status, and returns it.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var problem = await ReadAsync(response, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.Str("title")));
        Assert.False(string.IsNullOrWhiteSpace(problem.Str("detail")));
        Assert.False(string.IsNullOrWhiteSpace(problem.Str("type")));
        return problem;
    }
}
