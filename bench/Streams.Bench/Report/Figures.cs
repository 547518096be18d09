namespace Streams.Bench.Report;

/// <summary>The named figures of one run, in the order they were added; a name added again replaces its value.</summary>
public sealed class Figures
{
    private readonly List<string> _order = [];
    private readonly Dictionary<string, (double Value, string Unit)> _values = new(StringComparer.Ordinal);

    public void Add(string name, double value, string unit)
    {
        if (!_values.ContainsKey(name)) _order.Add(name);
        _values[name] = (value, unit);
    }

    /// <summary>Adds every figure of <paramref name="other"/>, with <paramref name="prefix"/> before its name.</summary>
    public void AddAll(Figures other, string prefix = "")
    {
        foreach (var name in other.Names) Add(prefix + name, other[name], other.Unit(name));
    }

    public IReadOnlyList<string> Names => _order;
    public double this[string name] => _values[name].Value;
    public string Unit(string name) => _values[name].Unit;
    public bool Has(string name) => _values.ContainsKey(name);
    public double? Get(string name) => _values.TryGetValue(name, out var v) ? v.Value : null;
}
