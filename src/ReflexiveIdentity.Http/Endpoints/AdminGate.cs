using Microsoft.AspNetCore.Http;
using ReflexiveIdentity.Http.Security;

namespace ReflexiveIdentity.Http.Endpoints;

/// <summary>Admits admin requests; a refused one is recorded and answered here.</summary>
public sealed class AdminGate(AdminAuthorization authorization, RejectionResponder rejections)
{
    public async Task<bool> AdmitAsync(HttpContext context, string route, CancellationToken cancellationToken)
    {
        if (authorization.IsAuthorized(context.Request))
        {
            return true;
        }

        var problem = authorization.IsConfigured ? Problems.Problems.AdminUnauthorized() : Problems.Problems.AdminNotConfigured();
        await rejections.RejectAsync(context, route, problem, null, null, null, cancellationToken).ConfigureAwait(false);
        return false;
    }
}
