using Streams.Contracts.Readings;
using Streams.Contracts.Registry;

namespace Streams.Contracts.Validation;

/// <summary>
/// Checks that need the subject's registry entry, so they run once it is resolved: a parking reading without its own
/// <c>capacity</c> is checked against the registry's (a reading with one was checked against it while parsing).
/// </summary>
internal static class EntryChecks
{
    public static Problem? Check(Reading reading, SensorEntry entry)
    {
        if (reading is not ParkingReading { Capacity: null } parking || entry is not ParkingEntry registered) return null;
        var capacity = registered.Capacity;
        if (parking.Occupied is { } occupied && occupied > capacity)
            return Problem.OutOfRange($"occupied: {occupied} is above the registry's capacity {capacity} of parking/{registered.Id}");
        if (parking.Free is { } free && free > capacity)
            return Problem.OutOfRange($"free: {free} is above the registry's capacity {capacity} of parking/{registered.Id}");
        return null;
    }
}
