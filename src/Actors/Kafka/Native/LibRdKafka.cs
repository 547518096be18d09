using System.Runtime.InteropServices;
using System.Text;

namespace Streams.Actors.Kafka.Native;

/// <summary>
/// The few librdkafka entry points Confluent.Kafka does not wrap (the mock cluster). Resolved with
/// <see cref="NativeLibrary"/> into function pointers instead of [DllImport] + a DllImport resolver, because an
/// assembly can only have one resolver and other code of Streams.Actors may want it.
/// </summary>
internal static unsafe class LibRdKafka
{
    public const int ProducerType = 0;
    public const int ConfOk = 0;

    private static readonly Lazy<Exports> Lib = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    private sealed class Exports
    {
        public required delegate* unmanaged[Cdecl]<nint> ConfNew;
        public required delegate* unmanaged[Cdecl]<nint, byte*, byte*, byte*, nuint, int> ConfSet;
        public required delegate* unmanaged[Cdecl]<nint, void> ConfDestroy;
        public required delegate* unmanaged[Cdecl]<int, nint, byte*, nuint, nint> New;
        public required delegate* unmanaged[Cdecl]<nint, void> Destroy;
        public required delegate* unmanaged[Cdecl]<int, byte*> Err2Str;
        public required delegate* unmanaged[Cdecl]<nint, int, nint> MockClusterNew;
        public required delegate* unmanaged[Cdecl]<nint, void> MockClusterDestroy;
        public required delegate* unmanaged[Cdecl]<nint, byte*> MockClusterBootstraps;
        public required delegate* unmanaged[Cdecl]<nint, byte*, int, int, int> MockTopicCreate;
        public required delegate* unmanaged[Cdecl]<nint, byte*, int, long, int> MockPartitionDeleteRecords;
        public required delegate* unmanaged[Cdecl]<nint, int, int> MockBrokerSetDown;
        public required delegate* unmanaged[Cdecl]<nint, int, int> MockBrokerSetUp;
        public required delegate* unmanaged[Cdecl]<nint, short, nuint, int*, void> MockPushRequestErrorsArray;
        public required delegate* unmanaged[Cdecl]<nint, int, void> MockGroupInitialRebalanceDelayMs;
        public required delegate* unmanaged[Cdecl]<nint, void> MockStartRequestTracking;
        public required delegate* unmanaged[Cdecl]<nint, nuint*, nint*> MockGetRequests;
        public required delegate* unmanaged[Cdecl]<nint, short> MockRequestApiKey;
        public required delegate* unmanaged[Cdecl]<nint*, nuint, void> MockRequestDestroyArray;
    }

    private static Exports Load()
    {
        var handle = Open();
        nint Sym(string name) => NativeLibrary.GetExport(handle, name);
        return new Exports
        {
            ConfNew = (delegate* unmanaged[Cdecl]<nint>)Sym("rd_kafka_conf_new"),
            ConfSet = (delegate* unmanaged[Cdecl]<nint, byte*, byte*, byte*, nuint, int>)Sym("rd_kafka_conf_set"),
            ConfDestroy = (delegate* unmanaged[Cdecl]<nint, void>)Sym("rd_kafka_conf_destroy"),
            New = (delegate* unmanaged[Cdecl]<int, nint, byte*, nuint, nint>)Sym("rd_kafka_new"),
            Destroy = (delegate* unmanaged[Cdecl]<nint, void>)Sym("rd_kafka_destroy"),
            Err2Str = (delegate* unmanaged[Cdecl]<int, byte*>)Sym("rd_kafka_err2str"),
            MockClusterNew = (delegate* unmanaged[Cdecl]<nint, int, nint>)Sym("rd_kafka_mock_cluster_new"),
            MockClusterDestroy = (delegate* unmanaged[Cdecl]<nint, void>)Sym("rd_kafka_mock_cluster_destroy"),
            MockClusterBootstraps = (delegate* unmanaged[Cdecl]<nint, byte*>)Sym("rd_kafka_mock_cluster_bootstraps"),
            MockTopicCreate = (delegate* unmanaged[Cdecl]<nint, byte*, int, int, int>)Sym("rd_kafka_mock_topic_create"),
            MockPartitionDeleteRecords = (delegate* unmanaged[Cdecl]<nint, byte*, int, long, int>)Sym("rd_kafka_mock_partition_delete_records"),
            MockBrokerSetDown = (delegate* unmanaged[Cdecl]<nint, int, int>)Sym("rd_kafka_mock_broker_set_down"),
            MockBrokerSetUp = (delegate* unmanaged[Cdecl]<nint, int, int>)Sym("rd_kafka_mock_broker_set_up"),
            MockPushRequestErrorsArray = (delegate* unmanaged[Cdecl]<nint, short, nuint, int*, void>)Sym("rd_kafka_mock_push_request_errors_array"),
            MockGroupInitialRebalanceDelayMs = (delegate* unmanaged[Cdecl]<nint, int, void>)Sym("rd_kafka_mock_group_initial_rebalance_delay_ms"),
            MockStartRequestTracking = (delegate* unmanaged[Cdecl]<nint, void>)Sym("rd_kafka_mock_start_request_tracking"),
            MockGetRequests = (delegate* unmanaged[Cdecl]<nint, nuint*, nint*>)Sym("rd_kafka_mock_get_requests"),
            MockRequestApiKey = (delegate* unmanaged[Cdecl]<nint, short>)Sym("rd_kafka_mock_request_api_key"),
            MockRequestDestroyArray = (delegate* unmanaged[Cdecl]<nint*, nuint, void>)Sym("rd_kafka_mock_request_destroy_array"),
        };
    }

    /// <summary>The app's own librdkafka (from librdkafka.redist via deps.json), else runtimes/&lt;rid&gt;/native next to us.</summary>
    private static nint Open()
    {
        var assembly = typeof(LibRdKafka).Assembly;
        if (NativeLibrary.TryLoad("librdkafka", assembly, null, out var handle))
            return handle;

        // Like Confluent.Kafka: the default Linux build needs libsasl2.so.3 (absent on Debian), the centos8 build
        // links everything but glibc.
        var (rid, files) = RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
            ? ($"win-{Arch()}", new[] { "librdkafka.dll" })
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX)
                ? ($"osx-{Arch()}", new[] { "librdkafka.dylib" })
                : ($"linux-{Arch()}", new[] { "librdkafka.so", "centos8-librdkafka.so" });
        var dirs = new[] { AppContext.BaseDirectory, Path.GetDirectoryName(assembly.Location) ?? "" }
            .Where(d => d.Length > 0).Distinct();
        foreach (var dir in dirs)
        {
            foreach (var file in files)
            {
                var candidate = Path.Combine(dir, "runtimes", rid, "native", file);
                if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out handle))
                    return handle;
            }
        }
        throw new DllNotFoundException($"librdkafka not found (looked for runtimes/{rid}/native/{string.Join(" or ", files)}).");
    }

    private static string Arch() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.Arm64 => "arm64",
        Architecture.X86 => "x86",
        _ => "x64",
    };

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s + "\0");

    private static string? FromUtf8(byte* p) => p == null ? null : Marshal.PtrToStringUTF8((nint)p);

    public static string ErrorString(int err) => FromUtf8(Lib.Value.Err2Str(err)) ?? $"error {err}";

    /// <summary>Creates a producer handle (the mock cluster's owner); throws on configuration errors.</summary>
    public static nint NewProducerHandle(IEnumerable<KeyValuePair<string, string>> config)
    {
        var lib = Lib.Value;
        var conf = lib.ConfNew();
        var errstr = new byte[512];
        fixed (byte* err = errstr)
        {
            foreach (var (key, value) in config)
            {
                fixed (byte* k = Utf8(key))
                fixed (byte* v = Utf8(value))
                {
                    if (lib.ConfSet(conf, k, v, err, (nuint)errstr.Length) != ConfOk)
                    {
                        lib.ConfDestroy(conf);
                        throw new InvalidOperationException($"librdkafka config {key}: {FromUtf8(err)}");
                    }
                }
            }
            var rk = lib.New(ProducerType, conf, err, (nuint)errstr.Length); // takes ownership of conf on success
            if (rk == 0)
            {
                lib.ConfDestroy(conf);
                throw new InvalidOperationException($"rd_kafka_new failed: {FromUtf8(err)}");
            }
            return rk;
        }
    }

    public static void DestroyHandle(nint rk) => Lib.Value.Destroy(rk);

    public static nint MockClusterNew(nint rk, int brokers) => Lib.Value.MockClusterNew(rk, brokers);

    public static void MockClusterDestroy(nint mcluster) => Lib.Value.MockClusterDestroy(mcluster);

    public static string MockClusterBootstraps(nint mcluster) => FromUtf8(Lib.Value.MockClusterBootstraps(mcluster)) ?? "";

    public static int MockTopicCreate(nint mcluster, string topic, int partitions, int replicationFactor)
    {
        fixed (byte* t = Utf8(topic))
            return Lib.Value.MockTopicCreate(mcluster, t, partitions, replicationFactor);
    }

    public static int MockPartitionDeleteRecords(nint mcluster, string topic, int partition, long beforeOffset)
    {
        fixed (byte* t = Utf8(topic))
            return Lib.Value.MockPartitionDeleteRecords(mcluster, t, partition, beforeOffset);
    }

    public static int MockBrokerSetDown(nint mcluster, int brokerId) => Lib.Value.MockBrokerSetDown(mcluster, brokerId);

    public static int MockBrokerSetUp(nint mcluster, int brokerId) => Lib.Value.MockBrokerSetUp(mcluster, brokerId);

    public static void MockPushRequestErrors(nint mcluster, short apiKey, int[] errors)
    {
        fixed (int* e = errors)
            Lib.Value.MockPushRequestErrorsArray(mcluster, apiKey, (nuint)errors.Length, e);
    }

    public static void MockGroupInitialRebalanceDelay(nint mcluster, int delayMs) =>
        Lib.Value.MockGroupInitialRebalanceDelayMs(mcluster, delayMs);

    public static void MockStartRequestTracking(nint mcluster) => Lib.Value.MockStartRequestTracking(mcluster);

    /// <summary>How many requests of each API key the cluster received since tracking started.</summary>
    public static Dictionary<short, int> MockRequestCounts(nint mcluster)
    {
        nuint count;
        var requests = Lib.Value.MockGetRequests(mcluster, &count);
        var counts = new Dictionary<short, int>();
        if (requests == null) return counts;
        try
        {
            for (nuint i = 0; i < count; i++)
            {
                var key = Lib.Value.MockRequestApiKey(requests[i]);
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        }
        finally
        {
            Lib.Value.MockRequestDestroyArray(requests, count);
        }
        return counts;
    }
}
