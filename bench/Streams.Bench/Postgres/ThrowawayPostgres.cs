using System.Diagnostics;
using System.Runtime.InteropServices;
using Npgsql;
using Streams.Bench.Host;

namespace Streams.Bench.Postgres;

/// <summary>
/// The PostgreSQL server of a run: STREAMS_BENCH_POSTGRES (an admin connection string) if set, else a throwaway
/// cluster started the way .ci/run does (initdb as user postgres, trust auth, a free port on 127.0.0.1), removed at the end.
/// </summary>
public sealed class ThrowawayPostgres : IDisposable
{
    private readonly string? _dir;
    private readonly string? _bin;
    private int _disposed;
    private readonly PosixSignalRegistration[] _stopSignals = [];

    private ThrowawayPostgres(string adminConnectionString, string? dir, string? bin)
    {
        AdminConnectionString = adminConnectionString;
        _dir = dir;
        _bin = bin;
        // A benchmark stopped by Ctrl+C or SIGTERM must not leave its server running.
        if (dir is null) return;
        _stopSignals =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => StopQuietly()),
            PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => StopQuietly()),
        ];
    }

    public string AdminConnectionString { get; }

    public static ThrowawayPostgres StartOrUseGiven()
    {
        var given = Environment.GetEnvironmentVariable("STREAMS_BENCH_POSTGRES");
        if (!string.IsNullOrWhiteSpace(given)) return new ThrowawayPostgres(given, null, null);

        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(Directory.Exists).OrderBy(d => Version.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : new Version(0, 0)).LastOrDefault()
            : null;
        if (bin is null) throw new InvalidOperationException("no PostgreSQL under /usr/lib/postgresql: install it or set STREAMS_BENCH_POSTGRES");
        var dir = Directory.CreateTempSubdirectory("streams-bench-pg.").FullName;
        var port = Ports.Free();
        Run("chown", $"postgres {dir}");
        Run("su", $"postgres -c \"{bin}/initdb -D {dir}/data -A trust -U postgres\"");
        Run("su", $"postgres -c \"{bin}/pg_ctl -D {dir}/data -o '-p {port} -k {dir} -c listen_addresses=127.0.0.1' -l {dir}/log -w start\"");
        Console.WriteLine($"[bench] PostgreSQL started on 127.0.0.1:{port} ({bin})");
        return new ThrowawayPostgres($"Host=127.0.0.1;Port={port};Database=postgres;Username=postgres", dir, bin);
    }

    private void StopQuietly()
    {
        try
        {
            Dispose();
        }
        catch (Exception e) when (e is InvalidOperationException or IOException) { }
    }

    /// <summary>A fresh database for one pass; returns its connection string.</summary>
    public string CreateDatabase()
    {
        var name = "bench_" + Guid.NewGuid().ToString("N")[..12];
        using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE {name}";
            command.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    public void Dispose()
    {
        if (_dir is null || Interlocked.Exchange(ref _disposed, 1) == 1) return;
        foreach (var registration in _stopSignals) registration.Dispose();
        try
        {
            Run("su", $"postgres -c \"{_bin}/pg_ctl -D {_dir}/data -m fast -w stop\"");
        }
        finally
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static void Run(string file, string arguments)
    {
        var psi = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {arguments} failed ({p.ExitCode}): {error}{output.Result}");
    }

}
