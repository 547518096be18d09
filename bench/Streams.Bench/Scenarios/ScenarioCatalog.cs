using Streams.Bench.Cli;

namespace Streams.Bench.Scenarios;

/// <summary>The named scenarios of the table.</summary>
public static class ScenarioCatalog
{
    public static IScenario Create(BenchOptions o) => o.Scenario switch
    {
        "backlog" => new BacklogScenario(o),
        "throughput" => new ThroughputScenario(o),
        "catchup" => new CatchupScenario(o),
        "latency" => new LatencyScenario(o),
        "scale" => new ScaleScenario(o),
        "recovery" => new RecoveryScenario(o),
        "postgres" => new PostgresScenario(o),
        "floor" => new Floor.FloorScenario(o),
        _ => throw new UsageException($"unknown scenario '{o.Scenario}'"),
    };

    public const string Usage = """
        usage: dotnet run -c Release --project bench/Streams.Bench -- <scenario> [options]

        scenarios (defaults are the sizes of issue 9; make them small to run quickly):
          backlog     --subjects 10000 --readings 60000           readings waiting before the host starts
          throughput  --subjects 100000 --readings 200000         written while the host runs, as fast as it commits
          catchup     --subjects 200 --per-subject 2000           gauges with a long history waiting (a replay)
          latency     --rate 20000 --seconds 60 --subjects 10000  write → alert and write → commit, HdrHistogram
          scale       --scales 10000,100000,1000000 --per-subject 2
          recovery    --subjects 100000 --kill-at 0.5 --session-timeout-ms 6000
          postgres    throughput's options; --sqlite=false skips the SQLite pass beside it
                      (PostgreSQL: STREAMS_BENCH_POSTGRES, else a throwaway server like .ci/run starts)
          floor       --subjects 100000 --per-subject 3 --in-flight 1000 --shards 24 --batch 5000 --designs subject,partition
                      not the issue's: sharded persistent actors alone in this process (no Kafka, a journal that keeps nothing),
                      one per subject against one per partition: what either design costs before any of the host's work

        every scenario: --runs 1 (the median is quoted) --municipalities 20 --mix 15,35,50 (pegel,parking,bus)
          --alert-every 20 (one reading in N crosses a threshold, the next clears it) --lead 50000 (how far the writer
          may run ahead of the host's commits) --timeout 900 (s) --progress-seconds 5 --keep (keep the data dirs)
          --host-arg --Streams:Pipeline:Parallelism=64 (repeatable; also STREAMS_BENCH_HOST_ARGS)
        """;
}
