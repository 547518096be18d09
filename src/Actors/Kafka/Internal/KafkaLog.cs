using Akka.Event;
using Confluent.Kafka;
using LogMessage = Confluent.Kafka.LogMessage;

namespace Streams.Actors.Kafka.Internal;

/// <summary>librdkafka's log lines into Akka logging.</summary>
internal static class KafkaLog
{
    public static void Write(ILoggingAdapter log, LogMessage m)
    {
        switch (m.Level)
        {
            case SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical:
                log.Error("librdkafka {0} {1}: {2}", m.Name, m.Facility, m.Message);
                break;
            // librdkafka logs transient trouble it retries (connection refused, ...) at LOG_ERR; real failures reach
            // the error handler / delivery reports and are reported there.
            case SyslogLevel.Error or SyslogLevel.Warning:
                log.Warning("librdkafka {0} {1}: {2}", m.Name, m.Facility, m.Message);
                break;
            case SyslogLevel.Notice or SyslogLevel.Info:
                log.Info("librdkafka {0} {1}: {2}", m.Name, m.Facility, m.Message);
                break;
            default:
                log.Debug("librdkafka {0} {1}: {2}", m.Name, m.Facility, m.Message);
                break;
        }
    }
}
