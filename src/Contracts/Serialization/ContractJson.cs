namespace Streams.Contracts.Serialization;

/// <summary>Serialization of the contract's output records (alerts, aggregates, dead letters), source-generated.</summary>
public static class ContractJson
{
    public static byte[] Serialize(Outputs.AlertEvent value) => throw new NotImplementedException();
    public static byte[] Serialize(Outputs.MunicipalityAggregate value) => throw new NotImplementedException();
    public static byte[] Serialize(Outputs.DeadLetter value) => throw new NotImplementedException();
    public static T Deserialize<T>(ReadOnlySpan<byte> utf8) => throw new NotImplementedException();
}
