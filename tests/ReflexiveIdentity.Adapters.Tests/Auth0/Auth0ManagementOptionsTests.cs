using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection;
using ReflexiveIdentity.Adapters.Auth0;

namespace ReflexiveIdentity.Adapters.Tests.Auth0;

/// <summary>Settings are checked when the client is registered, with messages that name the setting.</summary>
public sealed class Auth0ManagementOptionsTests
{
    private static Auth0ManagementOptions Valid(Uri? authority = null, Auth0RetryOptions? retry = null) => new()
    {
        Authority = authority ?? new Uri("https://reflexive.eu.auth0.com/"),
        ClientId = "reflexive-management",
        ClientSecret = "LOCAL-ONLY-secret",
        Audience = "https://reflexive-identity/agents",
        Retry = retry ?? new Auth0RetryOptions(),
    };

    [Fact]
    public void Options_Tenant_DeriveTheManagementApiAndTokenEndpoint()
    {
        var options = Valid();

        Assert.Equal(new Uri("https://reflexive.eu.auth0.com/api/v2/"), options.ManagementApi);
        Assert.Equal(new Uri("https://reflexive.eu.auth0.com/oauth/token"), options.TokenEndpoint);
    }

    [Fact]
    public void AddAuth0Management_AuthorityWithoutTrailingSlash_ThrowsNamingTheSetting()
    {
        var e = Assert.Throws<ValidationException>(() => new ServiceCollection().AddAuth0Management(Valid(new Uri("https://reflexive.eu.auth0.com/tenant"))));

        Assert.Contains("ending in '/'", e.Message, StringComparison.Ordinal);
        Assert.Contains("Auth0__Authority", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddAuth0Management_PlainHttpOffLoopback_Throws()
    {
        var e = Assert.Throws<ValidationException>(() => new ServiceCollection().AddAuth0Management(Valid(new Uri("http://reflexive.eu.auth0.com/"))));

        Assert.Contains("must use https", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddAuth0Management_PlainHttpOnLoopback_IsAccepted()
    {
        new ServiceCollection().AddAuth0Management(Valid(new Uri("http://127.0.0.1:5123/")));
    }

    [Fact]
    public void AddAuth0Management_EmptySecretAndBadRetry_ThrowsNamingEach()
    {
        var options = new Auth0ManagementOptions
        {
            Authority = new Uri("https://reflexive.eu.auth0.com/"),
            ClientId = "reflexive-management",
            ClientSecret = "",
            Audience = "https://reflexive-identity/agents",
            Retry = new Auth0RetryOptions { MaxAttempts = 0, MaxDelay = TimeSpan.FromHours(1) },
        };

        var e = Assert.Throws<ValidationException>(() => new ServiceCollection().AddAuth0Management(options));

        Assert.Contains("ClientSecret", e.Message, StringComparison.Ordinal);
        Assert.Contains("Retry.MaxAttempts", e.Message, StringComparison.Ordinal);
        Assert.Contains("Retry.MaxDelay", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LOCAL-ONLY", e.Message, StringComparison.Ordinal);
    }
}
