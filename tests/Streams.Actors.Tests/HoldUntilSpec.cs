using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Akka.TestKit.Xunit2;
using Streams.Actors.Ingestion;
using Xunit.Abstractions;

namespace Streams.Actors.Tests;

/// <summary>
/// The gate sits in the same fused island as its source, as it does behind the Kafka source, so "pulled" here is
/// exactly what the source was asked for.
/// </summary>
public sealed class HoldUntilSpec(ITestOutputHelper output) : TestKit(output: output)
{
    private int _pulled;

    private TestSubscriber.Probe<int> Materialize(Task gate, int elements = 3) =>
        Source.From(Enumerable.Range(1, elements).Select(i =>
            {
                Interlocked.Increment(ref _pulled);
                return i;
            }))
            .Via(new HoldUntil<int>(gate))
            .RunWith(this.SinkProbe<int>(), Sys.Materializer());

    [Fact]
    public void Nothing_is_pulled_from_the_source_before_the_gate_opens_then_everything_passes_in_order()
    {
        var gate = new TaskCompletionSource();
        var down = Materialize(gate.Task);

        down.Request(10);
        down.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal(0, Volatile.Read(ref _pulled));

        gate.SetResult();
        down.ExpectNext(1, 2, 3);
        down.ExpectComplete();
        Assert.Equal(3, Volatile.Read(ref _pulled));
    }

    [Fact]
    public void An_open_gate_passes_elements_at_once()
    {
        var down = Materialize(Task.CompletedTask, elements: 2);

        down.Request(2);
        down.ExpectNext(1, 2);
        down.ExpectComplete();
    }

    [Fact]
    public void A_failed_gate_fails_the_stream_without_taking_anything_from_the_source()
    {
        var gate = new TaskCompletionSource();
        var down = Materialize(gate.Task);

        down.Request(1);
        gate.SetException(new InvalidOperationException("registry stream gave up"));
        Assert.Equal("registry stream gave up", down.ExpectError().Message);
        Assert.Equal(0, Volatile.Read(ref _pulled));
    }

    [Fact]
    public void A_cancelled_gate_fails_the_stream()
    {
        var gate = new TaskCompletionSource();
        var down = Materialize(gate.Task);

        down.Request(1);
        gate.SetCanceled();
        Assert.IsType<OperationCanceledException>(down.ExpectError());
    }

    [Fact]
    public void An_empty_source_completes_the_stream_once_the_gate_opens()
    {
        var gate = new TaskCompletionSource();
        var down = Materialize(gate.Task, elements: 0);

        down.Request(1);
        down.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        gate.SetResult();
        down.ExpectComplete();
    }

    [Fact]
    public void A_source_that_stops_while_the_gate_is_closed_completes_the_stream()
    {
        var down = Source.Empty<int>()
            .Via(new HoldUntil<int>(new TaskCompletionSource().Task))
            .RunWith(this.SinkProbe<int>(), Sys.Materializer());

        down.Request(1);
        down.ExpectComplete();
    }
}
