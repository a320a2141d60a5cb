namespace ReflexiveIdentity.Auth0Emulation.Actions;

/// <summary>
/// Where the Action code lives: <c>ROOT/runtime/run-action.js</c> runs <c>ROOT/actions/NAME/code.js</c>
/// for each Action the seed binds to a trigger.
/// </summary>
internal sealed class ActionsLayout
{
    private const string RuntimePath = "runtime/run-action.js";

    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _bound;

    private ActionsLayout(string root, IReadOnlyDictionary<string, IReadOnlyList<string>> bound)
    {
        Root = root;
        _bound = bound;
    }

    public string Root { get; }

    public string RuntimeScript => Path.Combine(Root, RuntimePath);

    /// <summary>A layout that runs nothing, for a seed that binds no Actions.</summary>
    public static ActionsLayout None { get; } = new("", new Dictionary<string, IReadOnlyList<string>>());

    public IReadOnlyList<string> Bound(string trigger) => _bound.TryGetValue(trigger, out var files) ? files : [];

    /// <summary>
    /// Finds the Actions folder (the given one, or the nearest <c>auth0-actions</c> above the app)
    /// and checks that the runtime and every bound Action exist, so a bad setup fails at start.
    /// </summary>
    public static ActionsLayout Resolve(string? actionsRoot, IReadOnlyDictionary<string, IReadOnlyList<string>> bindings)
    {
        if (bindings.All(b => b.Value.Count == 0))
        {
            return None;
        }

        var root = actionsRoot is null ? Search(AppContext.BaseDirectory) : Path.GetFullPath(actionsRoot);
        if (root is null)
        {
            throw new InvalidOperationException(
                $"The seed binds Actions but no Actions folder was found: none of the folders above '{AppContext.BaseDirectory}' holds auth0-actions/{RuntimePath}. Set ActionsRoot (--actions-root).");
        }

        if (!File.Exists(Path.Combine(root, RuntimePath)))
        {
            throw new InvalidOperationException($"ActionsRoot '{root}' has no {RuntimePath}.");
        }

        var bound = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (trigger, names) in bindings)
        {
            var files = new List<string>();
            foreach (var name in names)
            {
                var file = Path.Combine(root, "actions", name, "code.js");
                if (!File.Exists(file))
                {
                    throw new InvalidOperationException($"The seed binds the Action '{name}' to {trigger}, but '{file}' does not exist.");
                }

                files.Add(file);
            }

            bound[trigger] = files;
        }

        return new ActionsLayout(root, bound);
    }

    private static string? Search(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "auth0-actions");
            if (File.Exists(Path.Combine(candidate, RuntimePath)))
            {
                return candidate;
            }
        }

        return null;
    }
}
