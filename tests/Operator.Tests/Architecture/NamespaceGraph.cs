namespace HipaaMongo.Operator.Tests.Architecture;

/// <summary>The strongly connected components of more than one node of a directed graph (Tarjan's algorithm).</summary>
internal static class NamespaceGraph
{
    public static IReadOnlyList<IReadOnlyList<string>> Cycles(IEnumerable<(string From, string To)> edges)
    {
        var next = edges.GroupBy(e => e.From).ToDictionary(g => g.Key, g => g.Select(e => e.To).Distinct().ToList());
        var walk = new Walk(next);
        foreach (var node in next.Keys.Order(StringComparer.Ordinal))
        {
            if (!walk.Index.ContainsKey(node))
            {
                walk.Visit(node);
            }
        }
        return walk.Components;
    }

    private sealed class Walk(Dictionary<string, List<string>> next)
    {
        public Dictionary<string, int> Index { get; } = [];
        public List<IReadOnlyList<string>> Components { get; } = [];
        private readonly Dictionary<string, int> _low = [];
        private readonly Stack<string> _stack = new();
        private readonly HashSet<string> _onStack = [];

        public void Visit(string node)
        {
            Index[node] = _low[node] = Index.Count;
            _stack.Push(node);
            _onStack.Add(node);
            foreach (var to in next.GetValueOrDefault(node) ?? [])
            {
                if (!Index.TryGetValue(to, out var seen))
                {
                    Visit(to);
                    _low[node] = Math.Min(_low[node], _low[to]);
                }
                else if (_onStack.Contains(to))
                {
                    _low[node] = Math.Min(_low[node], seen);
                }
            }
            if (_low[node] == Index[node])
            {
                Pop(node);
            }
        }

        private void Pop(string root)
        {
            var component = new List<string>();
            string popped;
            do
            {
                popped = _stack.Pop();
                _onStack.Remove(popped);
                component.Add(popped);
            }
            while (popped != root);
            if (component.Count > 1)
            {
                Components.Add(component);
            }
        }
    }
}
