using Microsoft.Extensions.Configuration;
using ReflexiveIdentity.Adapters.Reasoning;

namespace ReflexiveIdentity.Adapters.Tests.Reasoning;

public sealed class OpenAISettingsTests
{
    [Fact]
    public void Load_Nothing_IsNotConfiguredWithDefaults()
    {
        var settings = OpenAISettings.Load(Configuration());

        Assert.False(settings.IsConfigured);
        Assert.Equal(TimeSpan.FromSeconds(2.5), settings.JudgeBudget);
        Assert.False(settings.JudgeFailClosed);
    }

    [Theory]
    [InlineData("my-resource.openai.azure.com", "OpenAI__Endpoint 'my-resource.openai.azure.com' must be an absolute https URL")]
    [InlineData("http://my-resource.openai.azure.com/", "OpenAI__Endpoint 'http://my-resource.openai.azure.com/' must be an absolute https URL")]
    public void Load_EndpointNotAnAbsoluteHttpsUrl_NamesTheSetting(string endpoint, string expected)
    {
        var failure = Assert.Throws<OpenAISettingsException>(() => OpenAISettings.Load(Configuration(("OpenAI:Endpoint", endpoint), ("OpenAI:Deployment", "d"), ("OpenAI:ApiKey", "k"))));

        Assert.StartsWith(expected, Assert.Single(failure.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EndpointWithoutDeployment_NamesTheDeployment()
    {
        var failure = Assert.Throws<OpenAISettingsException>(() => OpenAISettings.Load(Configuration(("OpenAI:Endpoint", "https://r.openai.azure.com/"))));

        Assert.StartsWith("OpenAI__Deployment is required with OpenAI__Endpoint", Assert.Single(failure.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EndpointAndDeploymentWithoutKey_UsesTheManagedIdentity()
    {
        var settings = OpenAISettings.Load(Configuration(("OpenAI:Endpoint", "https://r.openai.azure.com/"), ("OpenAI:Deployment", "gpt-4o-mini")));

        Assert.True(settings.IsConfigured);
        Assert.Null(settings.ApiKey);
        Assert.Contains("(managed identity)", settings.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DeploymentWithoutEndpoint_SaysSetAllThreeOrNone()
    {
        var failure = Assert.Throws<OpenAISettingsException>(() => OpenAISettings.Load(Configuration(("OpenAI:Deployment", "gpt-4o-mini"))));

        Assert.Contains("OpenAI__Endpoint is not", Assert.Single(failure.Problems), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("4")]
    [InlineData("fast")]
    public void Load_BadJudgeBudget_NamesTheSetting(string budget)
    {
        var failure = Assert.Throws<OpenAISettingsException>(() => OpenAISettings.Load(Configuration(("OpenAI:JudgeBudgetSeconds", budget))));

        Assert.StartsWith($"OpenAI__JudgeBudgetSeconds '{budget}' must be a number of seconds above 0 and at most 3.5", Assert.Single(failure.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadFailClosed_NamesTheSetting()
    {
        var failure = Assert.Throws<OpenAISettingsException>(() => OpenAISettings.Load(Configuration(("OpenAI:JudgeFailClosed", "yes"))));

        Assert.Equal("OpenAI__JudgeFailClosed 'yes' must be true or false.", Assert.Single(failure.Problems));
    }

    [Fact]
    public void Load_UnresolvedKeyVaultReference_SaysSo()
    {
        var failure = Assert.Throws<OpenAISettingsException>(() => OpenAISettings.Load(Configuration(
            ("OpenAI:Endpoint", "https://r.openai.azure.com/"), ("OpenAI:Deployment", "d"), ("OpenAI:ApiKey", "@Microsoft.KeyVault(SecretUri=https://v/secrets/k)"))));

        Assert.StartsWith("OpenAI__ApiKey is an unresolved Key Vault reference", Assert.Single(failure.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AllSet_IsConfigured()
    {
        var settings = OpenAISettings.Load(Configuration(
            ("OpenAI:Endpoint", "https://r.openai.azure.com/"), ("OpenAI:Deployment", "gpt-4o-mini"), ("OpenAI:ApiKey", "secret-key"), ("OpenAI:JudgeBudgetSeconds", "2"), ("OpenAI:JudgeFailClosed", "true")));

        Assert.True(settings.IsConfigured);
        Assert.Equal(new Uri("https://r.openai.azure.com/"), settings.Endpoint);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.ReviewOptions.JudgeBudget);
        Assert.True(settings.ReviewOptions.FailClosed);
        Assert.DoesNotContain("secret-key", settings.Description, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
