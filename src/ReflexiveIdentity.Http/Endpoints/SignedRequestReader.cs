using System.Buffers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using ReflexiveIdentity.Http.Problems;
using ReflexiveIdentity.Http.Security;

namespace ReflexiveIdentity.Http.Endpoints;

/// <summary>A webhook request's body and headers after the transport checks, or the problem that rejects it.</summary>
public sealed record SignedRequest
{
    public required byte[] Body { get; init; }

    public required string BodySha256 { get; init; }

    public string? RequestId { get; init; }

    public Problem? Problem { get; init; }

    /// <summary>True once the signature verified: only then may a rejection be attributed to the agent the body names.</summary>
    public bool Authenticated { get; init; }
}

/// <summary>
/// Reads a signed webhook request in the order that keeps unauthenticated work small: size limit,
/// signature, request id, content type. The body is read at most to the limit plus one byte.
/// </summary>
public sealed class SignedRequestReader(WebhookSignature signature, TimeProvider time)
{
    public const string RequestIdHeader = "X-Reflexive-Request-Id";

    public async Task<SignedRequest> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await ReadBoundedAsync(request, cancellationToken).ConfigureAwait(false);
        var sha = Convert.ToHexStringLower(SHA256.HashData(body));
        var requestId = request.Headers[RequestIdHeader].ToString();
        requestId = string.IsNullOrEmpty(requestId) ? null : requestId;

        Problem? problem = null;
        var authenticated = false;
        if (body.Length > Problems.Problems.MaxBodyBytes || request.ContentLength > Problems.Problems.MaxBodyBytes)
        {
            problem = Problems.Problems.BodyTooLarge();
        }
        else
        {
            var check = signature.Check(
                request.Headers[WebhookSignature.TimestampHeader].ToString(),
                request.Headers[WebhookSignature.SignatureHeader].ToString(),
                body,
                time.GetUtcNow());
            authenticated = check == SignatureCheck.Valid;
            problem = check switch
            {
                SignatureCheck.Valid when requestId is not null && !IsValidRequestId(requestId) => Problems.Problems.InvalidRequestId(),
                SignatureCheck.Valid when !IsJson(request.ContentType) => Problems.Problems.UnsupportedMediaType(request.ContentType),
                SignatureCheck.Valid => null,
                SignatureCheck.Missing => Problems.Problems.SignatureMissing(),
                SignatureCheck.Malformed => Problems.Problems.SignatureMalformed(),
                SignatureCheck.Stale => Problems.Problems.SignatureExpired(),
                _ => Problems.Problems.SignatureInvalid(),
            };
        }

        return new SignedRequest
        {
            Body = body,
            BodySha256 = sha,
            RequestId = requestId is not null && IsValidRequestId(requestId) ? requestId : null,
            Problem = problem,
            Authenticated = authenticated,
        };
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var limit = Problems.Problems.MaxBodyBytes + 1;
        if (request.ContentLength > Problems.Problems.MaxBodyBytes)
        {
            return [];
        }

        var buffer = ArrayPool<byte>.Shared.Rent(limit);
        try
        {
            var total = 0;
            int read;
            while (total < limit && (read = await request.Body.ReadAsync(buffer.AsMemory(total, limit - total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return buffer.AsSpan(0, total).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase) && media.Type.Equals("application", StringComparison.OrdinalIgnoreCase)));

    private static bool IsValidRequestId(string value) =>
        value.Length is > 0 and <= 128 && value.All(c => c is > ' ' and < (char)127);
}
