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
            case SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical or SyslogLevel.Error:
                log.Error("librdkafka {0} {1}: {2}", m.Name, m.Facility, m.Message);
                break;
            case SyslogLevel.Warning:
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
