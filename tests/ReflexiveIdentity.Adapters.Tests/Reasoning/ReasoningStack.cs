using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReflexiveIdentity.Adapters.Reasoning;
using ReflexiveIdentity.Reasoning;

namespace ReflexiveIdentity.Testing.Reasoning;

/// <summary>The reasoning layer as <see cref="ReasoningServiceCollectionExtensions.AddReasoning(IServiceCollection, IConfiguration)"/> registers it, pointed at a local server.</summary>
internal sealed class ReasoningStack : IDisposable
{
    public const string Deployment = "judge-deployment";
    public const string ApiKey = "local-test-key-0001";

    private readonly ServiceProvider provider;

    public ReasoningStack(Uri? endpoint, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>();
        if (endpoint is not null)
        {
            settings["OpenAI:Endpoint"] = endpoint.AbsoluteUri;
            settings["OpenAI:Deployment"] = Deployment;
            settings["OpenAI:ApiKey"] = ApiKey;
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        provider = new ServiceCollection()
            .AddReasoning(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();
    }

    public RationaleReview Review => provider.GetRequiredService<RationaleReview>();

    public IRationaleJudge? Judge => provider.GetService<IRationaleJudge>();

    public IRationaleWriter Writer => provider.GetRequiredService<IRationaleWriter>();

    public OpenAISettings Settings => provider.GetRequiredService<OpenAISettings>();

    public void Dispose() => provider.Dispose();
}
