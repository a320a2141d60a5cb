using Microsoft.AspNetCore.Mvc;

namespace ReflexiveIdentity.Functions.Http;

/// <summary>
/// The shared handlers write the response themselves (so the CLI host runs them unchanged); a function
/// then returns an empty action result, which keeps the HTTP output binding and leaves that response as is.
/// </summary>
internal static class HandledResult
{
    public static async Task<IActionResult> After(Task handler)
    {
        await handler.ConfigureAwait(false);
        return new EmptyResult();
    }
}
