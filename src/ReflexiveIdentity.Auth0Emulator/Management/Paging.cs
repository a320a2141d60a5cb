using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ReflexiveIdentity.Auth0Emulation.Management;

/// <summary>Paging as the Management API reads it: zero-based <c>page</c>, <c>per_page</c> up to 100, <c>include_totals</c>.</summary>
internal readonly record struct Paging(int Page, int PerPage, bool IncludeTotals)
{
    public int Start => Page * PerPage;

    public static (Paging Paging, IResult? Error) Read(IQueryCollection query)
    {
        // Auth0 answers at most 50 records when no page is asked for.
        var paging = new Paging(0, 50, false);
        if (query.TryGetValue("page", out var page))
        {
            if (!TryInt(page, 0, 1_000_000, out var p))
            {
                return (paging, ManagementError.InvalidQuery($"Query validation error: 'Invalid value \"{page}\" for property page' (an integer >= 0)."));
            }

            paging = paging with { Page = p };
        }

        if (query.TryGetValue("per_page", out var perPage))
        {
            if (!TryInt(perPage, 0, 100, out var n))
            {
                return (paging, ManagementError.InvalidQuery($"Query validation error: 'Invalid value \"{perPage}\" for property per_page' (an integer from 0 to 100)."));
            }

            paging = paging with { PerPage = n };
        }

        if (query.TryGetValue("include_totals", out var totals))
        {
            if (!bool.TryParse(totals, out var include))
            {
                return (paging, ManagementError.InvalidQuery($"Query validation error: 'Invalid value \"{totals}\" for property include_totals' (true or false)."));
            }

            paging = paging with { IncludeTotals = include };
        }

        return (paging, null);

        static bool TryInt(string? value, int min, int max, out int result) =>
            int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result) && result >= min && result <= max;
    }

    public IEnumerable<T> Apply<T>(IEnumerable<T> items) => items.Skip(Start).Take(PerPage);
}
