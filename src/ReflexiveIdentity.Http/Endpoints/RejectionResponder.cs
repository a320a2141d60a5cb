using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ReflexiveIdentity.Http.Problems;
using ReflexiveIdentity.Ledger;
using ReflexiveIdentity.Ledger.Payloads;

namespace ReflexiveIdentity.Http.Endpoints;

/// <summary>Records a rejection in the ledger, then answers with the problem naming the entry.</summary>
public sealed class RejectionResponder(RejectionLog rejections, ILogger<RejectionResponder> logger)
{
    public async Task RejectAsync(HttpContext context, string route, Problem problem, string? agentId, string? requestId, byte[]? body, CancellationToken cancellationToken)
    {
        var entry = await rejections.RecordAsync(
            agentId,
            new RequestRejectedPayload
            {
                Route = route,
                Status = problem.Status,
                Code = problem.Code,
                Detail = problem.Detail,
                BodySha256 = Convert.ToHexStringLower(SHA256.HashData(body ?? [])),
                BodyBytes = body?.LongLength ?? 0,
                RequestId = requestId,
                RemoteIp = context.Connection.RemoteIpAddress?.ToString(),
            },
            cancellationToken).ConfigureAwait(false);
        Log.Rejected(logger, route, problem.Status, problem.Code, entry);
        await ResponseWriter.WriteProblemAsync(context.Response, problem, entry, cancellationToken).ConfigureAwait(false);
    }
}
