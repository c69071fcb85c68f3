using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CareSim.Web;

/// <summary>The dashboard page at <c>/</c>: plain HTML, CSS and JavaScript embedded in this assembly (wwwroot/), reading only the API.</summary>
public static class DashboardPage
{
    private static readonly Assembly Assembly = typeof(DashboardPage).Assembly;

    private static readonly Dictionary<string, (string Resource, string ContentType)> Assets = new(StringComparer.Ordinal)
    {
        ["/"] = ("wwwroot/index.html", "text/html; charset=utf-8"),
        ["/dashboard/app.js"] = ("wwwroot/app.js", "text/javascript; charset=utf-8"),
        ["/dashboard/charts.js"] = ("wwwroot/charts.js", "text/javascript; charset=utf-8"),
        ["/dashboard/app.css"] = ("wwwroot/app.css", "text/css; charset=utf-8"),
    };

    public static void MapDashboardPage(this IEndpointRouteBuilder app)
    {
        foreach (var (route, (resource, contentType)) in Assets)
        {
            var bytes = Read(resource);
            app.MapGet(route, (HttpContext context) =>
            {
                // Everything the page needs is served from here; nothing comes from another origin.
                context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
                context.Response.Headers.XContentTypeOptions = "nosniff";
                context.Response.Headers.CacheControl = "no-cache";
                return Results.Bytes(bytes, contentType);
            }).ExcludeFromDescription();
        }
    }

    private static byte[] Read(string resource)
    {
        using var stream = Assembly.GetManifestResourceStream(resource) ?? throw new InvalidOperationException($"missing embedded resource {resource}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
