namespace Streams.Actors.Kafka.Internal;

/// <summary>
/// The emitted offsets of one partition that are not done yet. Offsets are added in ascending order (a partition's
/// records are emitted in offset order), so they sit in a ring in that order with a done flag each: adding appends,
/// marking done finds the offset by binary search, and the done prefix is dropped, so the first entry is always the
/// lowest offset not done. Unlike a sorted set, nothing is allocated per offset and no tree is rebalanced, which
/// matters because every record passes through here twice under the consumer's lock.
/// Not thread-safe.
/// </summary>
internal sealed class PendingOffsets
{
    private const int InitialCapacity = 16;
    private const int ShrinkAbove = 4096;
    private long[] _offsets = new long[InitialCapacity];
    private bool[] _done = new bool[InitialCapacity];
    private int _head;
    private int _length; // entries from the lowest not-done offset to the last added, done or not

    /// <summary>Offsets added and not done yet.</summary>
    public int Count { get; private set; }

    /// <summary>The lowest offset not done yet, if any.</summary>
    public long? Lowest => _length > 0 ? _offsets[_head] : null;

    /// <summary>Adds an offset; it must be above every offset added before.</summary>
    public void Add(long offset)
    {
        if (_length > 0 && offset <= _offsets[Index(_length - 1)])
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "offsets must be added in ascending order");
        if (_length == _offsets.Length) Resize(_offsets.Length * 2);
        var i = Index(_length);
        _offsets[i] = offset;
        _done[i] = false;
        _length++;
        Count++;
    }

    /// <summary>Marks an offset done. False if it was never added or is done already.</summary>
    public bool MarkDone(long offset)
    {
        var k = Find(offset);
        if (k < 0) return false;
        var i = Index(k);
        if (_done[i]) return false;
        _done[i] = true;
        Count--;
        while (_length > 0 && _done[_head])
        {
            _head = (_head + 1) & (_offsets.Length - 1);
            _length--;
        }
        if (_length == 0 && _offsets.Length > ShrinkAbove)
        {
            _offsets = new long[InitialCapacity];
            _done = new bool[InitialCapacity];
            _head = 0;
        }
        return true;
    }

    private int Index(int k) => (_head + k) & (_offsets.Length - 1);

    /// <summary>The position (0 = lowest) of <paramref name="offset"/> among the entries, or −1.</summary>
    private int Find(long offset)
    {
        int lo = 0, hi = _length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var value = _offsets[Index(mid)];
            if (value == offset) return mid;
            if (value < offset) lo = mid + 1;
            else hi = mid - 1;
        }
        return -1;
    }

    private void Resize(int capacity)
    {
        var offsets = new long[capacity];
        var done = new bool[capacity];
        for (var k = 0; k < _length; k++)
        {
            offsets[k] = _offsets[Index(k)];
            done[k] = _done[Index(k)];
        }
        (_offsets, _done, _head) = (offsets, done, 0);
    }
}
