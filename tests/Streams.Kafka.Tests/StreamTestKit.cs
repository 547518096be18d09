using Akka.Streams;
using Xunit.Abstractions;

namespace Streams.Kafka.Tests;

/// <summary>An actor system per test (Akka TestKit) and an embedded cluster per test class.</summary>
public abstract class StreamTestKit : Akka.TestKit.Xunit2.TestKit, IClassFixture<KafkaFixture>
{
    private const string Config = """
        akka.loglevel = INFO
        akka.stdout-loglevel = INFO
        """;

    protected StreamTestKit(KafkaFixture fixture, ITestOutputHelper output) : base(Config, output: output)
    {
        Fixture = fixture;
        Materializer = Sys.Materializer();
    }

    protected KafkaFixture Fixture { get; }

    protected string Bootstrap => Fixture.BootstrapServers;

    protected IMaterializer Materializer { get; }
}
