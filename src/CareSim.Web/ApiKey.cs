using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CareSim.Web;

/// <summary>The API key check of the endpoints that change runs: when the server has a key, <c>X-Api-Key</c> must carry it (401 missing, 403 wrong; compared in constant time).</summary>
public static class ApiKey
{
    public static async ValueTask<object?> Check(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.RequestServices.GetRequiredService<IOptions<ServerOptions>>().Value.ApiKey;
        if (key is { Length: > 0 })
        {
            if (!http.Request.Headers.TryGetValue(ApiEndpoints.ApiKeyHeader, out var given) || string.IsNullOrEmpty(given))
                return ApiEndpoints.Problem(StatusCodes.Status401Unauthorized, "An API key is required.", $"send this server's key in the {ApiEndpoints.ApiKeyHeader} header");
            if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given.ToString()), Encoding.UTF8.GetBytes(key)))
                return ApiEndpoints.Problem(StatusCodes.Status403Forbidden, "The API key is not valid.", $"the {ApiEndpoints.ApiKeyHeader} header does not match this server's key");
        }
        return await next(context);
    }
}
