namespace Streams.Bench.Load;

public enum Kind
{
    Pegel,
    Parking,
    Bus,
}

/// <summary>Shares of the kinds in percent, e.g. 15/35/50 (gauges, car parks, buses).</summary>
public sealed record Mix(int Pegel, int Parking, int Bus)
{
    public static Mix Parse(string text)
    {
        var parts = text.Split(',', '/').Select(int.Parse).ToArray();
        if (parts.Length != 3 || parts.Sum() != 100 || parts.Any(p => p < 0))
            throw new Cli.UsageException($"--mix wants three percentages that add up to 100 (pegel,parking,bus), not '{text}'");
        return new Mix(parts[0], parts[1], parts[2]);
    }

    public override string ToString() => $"{Pegel},{Parking},{Bus}";
}

/// <summary>
/// The registered subjects of a run: subject i has a kind chosen by <c>i % 100</c> against the mix, an index within
/// its kind (which picks its partition, so partitions fill evenly) and municipality <c>i % municipalities</c>.
/// </summary>
public sealed class SubjectCatalog
{
    private readonly Kind[] _kinds;
    private readonly int[] _kindIndex;
    private readonly int[] _perKind = new int[3];

    public SubjectCatalog(int subjects, int municipalities, Mix mix)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(subjects, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(municipalities, 1);
        Count = subjects;
        Municipalities = municipalities;
        Mix = mix;
        _kinds = new Kind[subjects];
        _kindIndex = new int[subjects];
        for (var i = 0; i < subjects; i++)
        {
            var slot = i % 100;
            var kind = slot < mix.Pegel ? Kind.Pegel : slot < mix.Pegel + mix.Parking ? Kind.Parking : Kind.Bus;
            _kinds[i] = kind;
            _kindIndex[i] = _perKind[(int)kind]++;
        }
    }

    public int Count { get; }
    public int Municipalities { get; }
    public Mix Mix { get; }

    public Kind KindOf(int subject) => _kinds[subject];
    public int KindIndex(int subject) => _kindIndex[subject];
    public int CountOf(Kind kind) => _perKind[(int)kind];

    public string Id(int subject) => _kinds[subject] switch
    {
        Kind.Pegel => "g" + subject,
        Kind.Parking => "p" + subject,
        _ => "b" + subject,
    };

    /// <summary>The contract's subject, <c>{kind}/{id}</c>, as alerts name it.</summary>
    public string SubjectKey(int subject) => $"{Wire(_kinds[subject])}/{Id(subject)}";

    public static string Wire(Kind kind) => kind switch
    {
        Kind.Pegel => "pegel",
        Kind.Parking => "parking",
        _ => "bus",
    };

    public static string MunicipalityId(int m) => (7_100_000 + m * 1_000).ToString("D8");

    /// <summary>Registry records (key, value): the municipalities, then every subject.</summary>
    public IEnumerable<(string Key, string Value)> RegistryRecords()
    {
        for (var m = 0; m < Municipalities; m++)
        {
            var id = MunicipalityId(m);
            yield return ($"municipality/{id}", $$"""{"kind":"municipality","id":"{{id}}","name":"Bench {{m}}"}""");
        }
        for (var i = 0; i < Count; i++)
        {
            var id = Id(i);
            var municipality = MunicipalityId(i % Municipalities);
            // A long expected interval: a long run must not turn into a storm of sensor.stale alerts.
            yield return _kinds[i] switch
            {
                Kind.Pegel => ($"pegel/{id}", $$"""{"kind":"pegel","id":"{{id}}","municipality":"{{municipality}}","stagesCm":[150,200,250],"hysteresisCm":10,"expectedIntervalSeconds":3600}"""),
                Kind.Parking => ($"parking/{id}", $$"""{"kind":"parking","id":"{{id}}","municipality":"{{municipality}}","capacity":200,"expectedIntervalSeconds":3600}"""),
                _ => ($"bus/{id}", $$"""{"kind":"bus","id":"{{id}}","municipality":"{{municipality}}","expectedIntervalSeconds":3600}"""),
            };
        }
    }
}
