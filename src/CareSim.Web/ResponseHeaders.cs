using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using CareSim.Store;

namespace CareSim.Web;

/// <summary>A result with response headers added (Retry-After on 429, ETag and Cache-Control on completed results).</summary>
public sealed class HeaderResult(IResult inner, params (string Name, string Value)[] headers) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => (inner as IStatusCodeHttpResult)?.StatusCode;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        foreach (var (name, value) in headers) httpContext.Response.Headers[name] = value;
        return inner.ExecuteAsync(httpContext);
    }
}

/// <summary>
/// HTTP caching of a completed run's results: they never change (a run is only reloaded under
/// the same id by <c>sim run --run-id</c>, which changes its completion time and so its ETag),
/// so responses carry an ETag and <c>Cache-Control: public, max-age=31536000, immutable</c>, and
/// a request whose <c>If-None-Match</c> matches gets 304 without a body.
/// </summary>
public static class ResultCaching
{
    public const string CacheControl = "public, max-age=31536000, immutable";

    /// <summary>The ETag of a completed run's results: its id and when it completed.</summary>
    public static string ETag(RunRecord run) =>
        $"\"{RunIds.Format(run.Id)}-{(run.Completed ?? run.Created ?? DateTimeOffset.UnixEpoch).UtcTicks:x}\"";

    /// <summary>304 when the request already has this version; else null.</summary>
    public static IResult? NotModified(HttpRequest request, string etag) =>
        request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == etag || t.Trim() == "*"))
            ? new HeaderResult(Results.StatusCode(StatusCodes.Status304NotModified), ("ETag", etag), ("Cache-Control", CacheControl))
            : null;

    /// <summary>The endpoint's results are cached as above when its run (route value <c>id</c>) has completed.</summary>
    public static RouteHandlerBuilder CacheCompletedResults(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(FilterAsync).Produces(StatusCodes.Status304NotModified);

    private static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!RunIds.TryParse(http.Request.RouteValues["id"] as string, out var id)) return await next(context);
        var run = await http.RequestServices.GetRequiredService<RunCatalog>().GetAsync(id, http.RequestAborted);
        if (run is not { Status: RunStatus.Completed }) return await next(context);
        var etag = ETag(run);
        if (NotModified(http.Request, etag) is { } notModified) return notModified;
        var result = await next(context);
        return result is IResult r ? Cacheable(r, etag) : result;
    }

    /// <summary>Adds the caching headers to a successful result.</summary>
    public static IResult Cacheable(IResult result, string etag) =>
        result is IStatusCodeHttpResult { StatusCode: StatusCodes.Status200OK } || result is not IStatusCodeHttpResult
            ? new HeaderResult(result, ("ETag", etag), ("Cache-Control", CacheControl))
            : result;
}
