using ReflexiveIdentity.Reasoning;

namespace ReflexiveIdentity.Core.Tests.Reasoning;

/// <summary>A hand-written judge: answers with a function of the request, counts calls, and can hang (honouring or ignoring cancellation).</summary>
internal sealed class ScriptedJudge(Func<JudgeRequest, JudgeVerdict> answer) : IRationaleJudge
{
    public int Calls { get; private set; }

    public List<JudgeRequest> Requests { get; } = [];

    /// <summary>When set, the call waits for it; with <see cref="IgnoreCancellation"/> it waits even when cancelled.</summary>
    public TaskCompletionSource? Gate { get; init; }

    public bool IgnoreCancellation { get; init; }

    public bool SawCancellation { get; private set; }

    public string Kind => "openai";

    public static ScriptedJudge Keeping(params string[] scopes) => new(_ => new JudgeVerdict(scopes, "scripted"));

    public static ScriptedJudge Failing(Exception failure) => new(_ => throw failure);

    public async Task<JudgeVerdict> JudgeAsync(JudgeRequest request, CancellationToken cancellationToken)
    {
        Calls++;
        Requests.Add(request);
        if (Gate is { } gate)
        {
            using var registration = cancellationToken.Register(() => SawCancellation = true);
            await (IgnoreCancellation ? gate.Task : gate.Task.WaitAsync(cancellationToken));
        }

        return answer(request);
    }
}
