namespace HipaaMongo.Benchmarks.Scale;

/// <summary>Latencies of one measurement, in milliseconds, with nearest-rank percentiles.</summary>
public sealed class Sample(string name)
{
    readonly List<double> values = [];

    public string Name { get; } = name;

    /// <summary>An extra fact printed with the row (e.g. how many items a list returned).</summary>
    public string Note { get; set; } = "";

    public int Count => values.Count;

    public void Add(double milliseconds) => values.Add(milliseconds);

    public void AddRange(IEnumerable<double> milliseconds) => values.AddRange(milliseconds);

    /// <summary>Nearest-rank percentile (p in 0..100); with few samples p99 is simply the maximum.</summary>
    public double Percentile(double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
