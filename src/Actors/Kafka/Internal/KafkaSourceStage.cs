using Akka.Streams;
using Akka.Streams.Stage;
using Confluent.Kafka;

namespace Streams.Actors.Kafka.Internal;

/// <summary>
/// Emits records the consumer thread buffered, only on demand (the consumer pauses when the buffer is full).
/// Completes on <see cref="IConsumerControl.StopAsync"/>; its stop lets the consumer session drain, commit and close.
/// </summary>
internal abstract class KafkaSourceStage<TOut>(ConsumerSettings settings, Subscription subscription, bool commits, string name)
    : GraphStageWithMaterializedValue<SourceShape<TOut>, IConsumerControl> where TOut : class
{
    internal ConsumerSettings Settings { get; } = settings;
    internal Subscription Subscription { get; } = subscription;
    internal bool Commits { get; } = commits;

    private readonly Outlet<TOut> _out = new($"{name}.out");

    public override SourceShape<TOut> Shape => new(_out);

    protected override Attributes InitialAttributes => Attributes.CreateName(name);

    /// <summary>The element for a buffered record, or null to skip it (its partition was revoked meanwhile).</summary>
    protected abstract TOut? ToElement(ConsumerSession session, BufferedRecord record);

    public override ILogicAndMaterializedValue<IConsumerControl> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var control = new ConsumerControl();
        return new LogicAndMaterializedValue<IConsumerControl>(new Logic(this, control), control);
    }

    private sealed class Logic : OutGraphStageLogic
    {
        private readonly KafkaSourceStage<TOut> _stage;
        private readonly ConsumerControl _control;
        private ConsumerSession? _session;

        public Logic(KafkaSourceStage<TOut> stage, ConsumerControl control) : base(stage.Shape)
        {
            _stage = stage;
            _control = control;
            SetHandler(stage._out, this);
        }

        public override void PreStart()
        {
            var wake = GetAsyncCallback(TryPush);
            var fail = GetAsyncCallback<Exception>(FailStage);
            var stop = GetAsyncCallback(CompleteStage);
            _session = new ConsumerSession(_stage.Settings, _stage.Subscription, _stage.Commits, Log, _control, wake, fail);
            if (_control.Attach(_session, stop))
            {
                _session = null; // stopped before it started: no consumer is ever created
                CompleteStage();
                return;
            }
            _session.Start();
        }

        public override void OnPull() => TryPush();

        private void TryPush()
        {
            if (_session is null) return;
            while (IsAvailable(_stage._out) && _session.Buffer.TryTake(out var record))
            {
                if (_stage.ToElement(_session, record) is { } element)
                {
                    Push(_stage._out, element);
                    return;
                }
            }
        }

        public override void PostStop()
        {
            if (_session is null) _control.Completed(null); // never started a consumer
            else _session.SourceStopped();
            _control.SourceStopped();
        }
    }
}

internal sealed class CommittableSourceStage(ConsumerSettings settings, Subscription subscription)
    : KafkaSourceStage<CommittableMessage>(settings, subscription, commits: true, "KafkaCommittableSource")
{
    protected override CommittableMessage? ToElement(ConsumerSession session, BufferedRecord record) =>
        session.Register(record)
            ? new CommittableMessage(record.Result, new CommittableOffset(session, record.Result.TopicPartitionOffset, record.Epoch))
            : null;
}

internal sealed class PlainSourceStage(ConsumerSettings settings, Subscription subscription)
    : KafkaSourceStage<ConsumeResult<byte[]?, byte[]?>>(settings, subscription, commits: false, "KafkaPlainSource")
{
    protected override ConsumeResult<byte[]?, byte[]?>? ToElement(ConsumerSession session, BufferedRecord record) =>
        session.IsCurrent(record) ? record.Result : null;
}
