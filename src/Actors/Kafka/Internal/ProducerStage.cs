using Akka.Event;
using Akka.Streams;
using Akka.Streams.Stage;
using Confluent.Kafka;
using Error = Confluent.Kafka.Error;

namespace Streams.Actors.Kafka.Internal;

/// <summary>
/// Produces every record of an envelope with an idempotent producer and emits the pass-through once all of them
/// are acknowledged, in envelope order, with up to Parallelism envelopes in flight. A failed delivery (after
/// librdkafka's own retries until message.timeout.ms) or a fatal producer error fails the stage.
/// The producer is flushed and disposed when the stage stops.
/// </summary>
internal sealed class ProducerStage<T>(ProducerSettings settings) : GraphStage<FlowShape<ProducerEnvelope<T>, T>>
{
    private static readonly TimeSpan QueueFullRetry = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan FlushOnStopTimeout = TimeSpan.FromSeconds(10);

    internal ProducerSettings Settings { get; } = settings;

    private readonly Inlet<ProducerEnvelope<T>> _in = new("KafkaProducer.in");
    private readonly Outlet<T> _out = new("KafkaProducer.out");

    public override FlowShape<ProducerEnvelope<T>, T> Shape => new(_in, _out);

    protected override Attributes InitialAttributes => Attributes.CreateName("KafkaProducer");

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Pending(ProducerEnvelope<T> envelope)
    {
        public readonly ProducerEnvelope<T> Envelope = envelope;
        public int Produced;
        public int Acknowledged;
        public bool Done => Acknowledged == Envelope.Records.Count;
    }

    private sealed class Logic : TimerGraphStageLogic, IInHandler, IOutHandler
    {
        private const string RetryTimer = "produce-retry";
        private readonly ProducerStage<T> _stage;
        private readonly int _parallelism;
        private readonly Queue<Pending> _inFlight = new(); // envelope order
        private readonly Queue<Pending> _toProduce = new(); // envelopes not fully handed to librdkafka yet
        private IProducer<byte[]?, byte[]?>? _producer;
        private Action<(Pending, DeliveryReport<byte[]?, byte[]?>)>? _onDelivery;
        private bool _failed;

        public Logic(ProducerStage<T> stage) : base(stage.Shape)
        {
            _stage = stage;
            _parallelism = Math.Max(1, stage.Settings.Parallelism);
            SetHandler(stage._in, this);
            SetHandler(stage._out, this);
        }

        public override void PreStart()
        {
            _onDelivery = GetAsyncCallback<(Pending, DeliveryReport<byte[]?, byte[]?>)>(OnDelivery);
            var onFatal = GetAsyncCallback<Error>(e => Fail(new KafkaException(e), "Kafka producer fatal error"));
            var log = Log;
            var config = KafkaConfig.Producer(_stage.Settings, log);
            log.Info("Kafka producer starting: {0}", KafkaConfig.Describe(config));
            _producer = new ProducerBuilder<byte[]?, byte[]?>(config)
                .SetErrorHandler((_, e) =>
                {
                    if (e.IsFatal) onFatal(e);
                    else log.Warning("Kafka producer error (librdkafka retries): {0}", e);
                })
                .SetLogHandler((_, m) => KafkaLog.Write(log, m))
                .Build();
            Pull(_stage._in);
        }

        public void OnPush()
        {
            var pending = new Pending(Grab(_stage._in));
            _inFlight.Enqueue(pending);
            _toProduce.Enqueue(pending);
            ProduceQueued();
            TryEmit();
            PullIfRoom();
        }

        public void OnPull() => TryEmit();

        public void OnUpstreamFinish() => CompleteIfIdle();

        public void OnUpstreamFailure(Exception e) => FailStage(e);

        public void OnDownstreamFinish(Exception cause) => CompleteStage();

        protected override void OnTimer(object timerKey) => ProduceQueued();

        /// <summary>Hands records to librdkafka in envelope order; waits a little when its local queue is full.</summary>
        private void ProduceQueued()
        {
            while (_toProduce.TryPeek(out var pending))
            {
                var records = pending.Envelope.Records;
                while (pending.Produced < records.Count)
                {
                    var record = records[pending.Produced];
                    try
                    {
                        var p = pending;
                        _producer!.Produce(record.Topic, ToMessage(record), report => _onDelivery!((p, report)));
                    }
                    catch (ProduceException<byte[]?, byte[]?> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                    {
                        ScheduleOnce(RetryTimer, QueueFullRetry);
                        return;
                    }
                    catch (Exception ex)
                    {
                        Fail(ex, $"Kafka produce to {record.Topic} failed");
                        return;
                    }
                    pending.Produced++;
                }
                _toProduce.Dequeue();
            }
        }

        private static Message<byte[]?, byte[]?> ToMessage(ProducerRecord record)
        {
            var message = new Message<byte[]?, byte[]?> { Key = record.Key, Value = record.Value };
            if (record.Headers.Count > 0)
            {
                var headers = new Headers();
                foreach (var (key, value) in record.Headers) headers.Add(key, value);
                message.Headers = headers;
            }
            return message;
        }

        private void OnDelivery((Pending Pending, DeliveryReport<byte[]?, byte[]?> Report) delivery)
        {
            var (pending, report) = delivery;
            if (report.Error.IsError)
            {
                Fail(new ProduceException<byte[]?, byte[]?>(report.Error, report),
                    $"Kafka delivery to {report.TopicPartition} failed");
                return;
            }
            pending.Acknowledged++;
            TryEmit();
            PullIfRoom();
        }

        private void TryEmit()
        {
            if (_inFlight.TryPeek(out var head) && head.Done && IsAvailable(_stage._out))
            {
                _inFlight.Dequeue();
                Push(_stage._out, head.Envelope.PassThrough);
            }
            CompleteIfIdle();
        }

        private void CompleteIfIdle()
        {
            if (IsClosed(_stage._in) && _inFlight.Count == 0) CompleteStage();
        }

        private void PullIfRoom()
        {
            if (!IsClosed(_stage._in) && !HasBeenPulled(_stage._in) && _inFlight.Count < _parallelism)
                Pull(_stage._in);
        }

        private void Fail(Exception error, string what)
        {
            if (_failed) return;
            _failed = true;
            Log.Error(error, "{0}: {1}", what, error.Message);
            FailStage(error);
        }

        public override void PostStop()
        {
            if (_producer is null) return;
            try
            {
                if (!_failed)
                {
                    var left = _producer.Flush(FlushOnStopTimeout);
                    if (left > 0) Log.Warning("Kafka producer stopped with {0} records undelivered", left);
                }
            }
            finally
            {
                _producer.Dispose();
                _producer = null;
            }
        }
    }
}
