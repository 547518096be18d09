using Akka.Streams;
using Akka.Streams.Stage;

namespace Streams.Actors.Ingestion;

/// <summary>
/// Passes elements through unchanged once <c>gate</c> has completed; until then it pulls nothing, so everything
/// upstream backpressures. In front of a Kafka source this lets the consumer join its group (and wait out a dead
/// member's session) while something it needs, such as the registry, is still loading: the source fills its buffer,
/// pauses its partitions and keeps its membership alive. A gate that faults or is cancelled fails the stream.
/// </summary>
public sealed class HoldUntil<T>(Task gate) : GraphStage<FlowShape<T, T>>
{
    private readonly Task _gate = gate;
    private readonly Inlet<T> _in = new("HoldUntil.in");
    private readonly Outlet<T> _out = new("HoldUntil.out");

    public override FlowShape<T, T> Shape => new(_in, _out);

    protected override Attributes InitialAttributes => Attributes.CreateName("HoldUntil");

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : InAndOutGraphStageLogic
    {
        private readonly HoldUntil<T> _stage;
        private bool _open;
        private bool _pullWaiting;

        public Logic(HoldUntil<T> stage) : base(stage.Shape)
        {
            _stage = stage;
            SetHandler(stage._in, this);
            SetHandler(stage._out, this);
        }

        public override void PreStart()
        {
            if (_stage._gate.IsCompleted)
            {
                Opened(_stage._gate);
                return;
            }
            var opened = GetAsyncCallback<Task>(Opened);
            _stage._gate.ContinueWith(opened, TaskContinuationOptions.ExecuteSynchronously);
        }

        private void Opened(Task gate)
        {
            if (!gate.IsCompletedSuccessfully)
            {
                FailStage(gate.Exception?.GetBaseException() ?? new OperationCanceledException("the gate was cancelled"));
                return;
            }
            _open = true;
            if (_pullWaiting) Pull(_stage._in);
        }

        public override void OnPush() => Push(_stage._out, Grab(_stage._in));

        public override void OnPull()
        {
            if (_open) Pull(_stage._in);
            else _pullWaiting = true;
        }
    }
}
