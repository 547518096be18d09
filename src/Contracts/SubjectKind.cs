namespace Streams.Contracts;

/// <summary>The kinds of registry entries; the wire form is the lower-case name.</summary>
public enum SubjectKind
{
    Municipality,
    Pegel,
    Parking,
    Bus,
}

public static class SubjectKinds
{
    public static string ToWire(this SubjectKind kind) => kind switch
    {
        SubjectKind.Municipality => "municipality",
        SubjectKind.Pegel => "pegel",
        SubjectKind.Parking => "parking",
        SubjectKind.Bus => "bus",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static bool TryParse(string? wire, out SubjectKind kind)
    {
        switch (wire)
        {
            case "municipality": kind = SubjectKind.Municipality; return true;
            case "pegel": kind = SubjectKind.Pegel; return true;
            case "parking": kind = SubjectKind.Parking; return true;
            case "bus": kind = SubjectKind.Bus; return true;
            default: kind = default; return false;
        }
    }

    /// <summary>The subject key used on the registry and alerts topics: <c>{kind}/{id}</c>.</summary>
    public static string SubjectKey(SubjectKind kind, string id) => $"{kind.ToWire()}/{id}";
}
