using Vigil.Configuration.Yaml;

namespace Vigil.Configuration.Reading;

/// <summary>Checks <c>after:</c> across jobs: every name must be a declared job and the graph must have no cycle.</summary>
internal static class DependencyChecker
{
    public static void Check(IReadOnlyList<DeclaredJob> jobs, ErrorList errors)
    {
        var order = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var job in jobs)
        {
            order.TryAdd(job.Name, order.Count);
        }

        // Edges to known jobs only; each edge remembers the node it was written at.
        var edges = new Dictionary<string, List<(string Target, YamlScalar At)>>(StringComparer.Ordinal);
        foreach (var job in jobs)
        {
            var list = new List<(string, YamlScalar)>();
            foreach (var reference in job.After)
            {
                var target = reference.Value.Trim();
                if (order.ContainsKey(target))
                {
                    list.Add((target, reference));
                }
                else
                {
                    var hint = KeySuggester.Closest(target, order.Keys) is { } close ? $" (did you mean \"{close}\"?)" : string.Empty;
                    errors.Add(reference, $"after: no job named \"{target}\" in this file{hint}");
                }
            }

            edges[job.Name] = list;
        }

        var state = new Dictionary<string, VisitState>(StringComparer.Ordinal);
        var path = new List<string>();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var job in jobs)
        {
            Walk(job.Name);
        }

        void Walk(string name)
        {
            if (state.TryGetValue(name, out var visit))
            {
                if (visit == VisitState.InProgress)
                {
                    ReportCycle(path[path.IndexOf(name)..]);
                }

                return;
            }

            state[name] = VisitState.InProgress;
            path.Add(name);
            foreach (var (target, _) in edges[name])
            {
                Walk(target);
            }

            path.RemoveAt(path.Count - 1);
            state[name] = VisitState.Done;
        }

        void ReportCycle(List<string> cycle)
        {
            // Start the cycle at the job written first, and report it once, at that job's after: entry.
            var first = cycle.MinBy(n => order[n])!;
            var start = cycle.IndexOf(first);
            List<string> rotated = [.. cycle[start..], .. cycle[..start]];
            if (!reported.Add(string.Join(' ', rotated.Order(StringComparer.Ordinal))))
            {
                return;
            }

            var next = rotated.Count > 1 ? rotated[1] : first;
            var at = edges[first].First(e => e.Target == next).At;
            errors.Add(at, rotated.Count == 1
                ? $"after: job \"{first}\" cannot run after itself"
                : $"after: jobs form a cycle: {string.Join(" -> ", rotated)} -> {first}");
        }
    }

    private enum VisitState
    {
        InProgress,
        Done,
    }
}
