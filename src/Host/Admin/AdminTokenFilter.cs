using System.Security.Cryptography;
using System.Text;

namespace Streams.Host.Admin;

/// <summary>
/// Bearer-token check for every admin route: a missing or wrong token answers 401 and logs the attempt
/// (method, path, remote address, which problem), never the token that was sent.
/// </summary>
public sealed class AdminTokenFilter(AdminOptions options, ILogger<AdminTokenFilter> logger) : IEndpointFilter
{
    private readonly byte[] _expected = Encoding.UTF8.GetBytes(options.Token ?? "");

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var problem = Check(http.Request.Headers.Authorization.ToString());
        if (problem is null) return await next(context);

        logger.LogWarning("Admin request refused ({Problem}): {Method} {Path} from {Remote}",
            problem, http.Request.Method, http.Request.Path, http.Connection.RemoteIpAddress);
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Json(new { error = "unauthorized", reason = problem }, statusCode: StatusCodes.Status401Unauthorized);
    }

    /// <summary>Null when the header carries the configured token; otherwise what is wrong with it.</summary>
    public string? Check(string authorization)
    {
        const string scheme = "Bearer ";
        if (string.IsNullOrWhiteSpace(authorization)) return "missing token";
        if (!authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return "not a bearer token";
        var sent = Encoding.UTF8.GetBytes(authorization[scheme.Length..].Trim());
        return _expected.Length > 0 && CryptographicOperations.FixedTimeEquals(sent, _expected) ? null : "wrong token";
    }
}
