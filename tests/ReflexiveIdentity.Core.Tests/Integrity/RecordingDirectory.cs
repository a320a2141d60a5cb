using ReflexiveIdentity.Agents;

namespace ReflexiveIdentity.Core.Tests.Integrity;

/// <summary>An identity provider that keeps every call made to it, in order.</summary>
internal sealed class RecordingDirectory : IAgentDirectory
{
    public List<AgentTrustRecord> Published { get; } = [];

    public List<IReadOnlyList<string>> Revoked { get; } = [];

    public List<IReadOnlyList<string>> Restored { get; } = [];

    public int Calls => Published.Count + Revoked.Count + Restored.Count;

    public void Clear()
    {
        Published.Clear();
        Revoked.Clear();
        Restored.Clear();
    }

    public Task PublishTrustAsync(Principal principal, AgentTrustRecord record, CancellationToken cancellationToken)
    {
        Published.Add(record);
        return Task.CompletedTask;
    }

    public Task RevokeScopesAsync(Principal principal, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        Revoked.Add(scopes);
        return Task.CompletedTask;
    }

    public Task RestoreScopesAsync(Principal principal, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        Restored.Add(scopes);
        return Task.CompletedTask;
    }
}
