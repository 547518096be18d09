using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Streams.EndToEnd.Tests.DatabaseFaults;

/// <summary>A PostgreSQL server owned by one test (initdb into a temp dir, run as user postgres), so it can be stopped and started.</summary>
public sealed class OwnPostgres : IDisposable
{
    private readonly string _bin;
    private readonly string _dir;

    /// <param name="password">When given, the server accepts user postgres over TCP only with this password (scram-sha-256); else trust.</param>
    public OwnPostgres(string? password = null)
    {
        _bin = Directory.GetDirectories("/usr/lib/postgresql").OrderBy(d => d).Select(d => Path.Combine(d, "bin")).LastOrDefault(Directory.Exists)
               ?? throw new InvalidOperationException("PostgreSQL is not installed (bash .ci/run installs it)");
        _dir = Path.Combine(Path.GetTempPath(), "streams-ownpg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_dir);
        Run("chown", "postgres", _dir);
        if (password is null)
        {
            AsPostgres($"{_bin}/initdb -D {_dir}/data -A trust -U postgres");
        }
        else
        {
            var pwfile = Path.Combine(_dir, "pwfile");
            File.WriteAllText(pwfile, password + "\n");
            Run("chown", "postgres", pwfile);
            AsPostgres($"{_bin}/initdb -D {_dir}/data -A scram-sha-256 --pwfile={pwfile} -U postgres");
            File.Delete(pwfile);
        }
        // A free port may be taken by another process before the server binds it: then try another one.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            try
            {
                Start();
                return;
            }
            catch (InvalidOperationException) when (attempt < 5 && PortWasTaken())
            {
            }
        }
    }

    public int Port { get; private set; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Database=postgres;Username=postgres;Timeout=5;Command Timeout=10";

    public void Start() => AsPostgres($"{_bin}/pg_ctl -D {_dir}/data -o '-p {Port} -k {_dir} -c listen_addresses=127.0.0.1' -l {_dir}/log -w start");

    public void Stop() => AsPostgres($"{_bin}/pg_ctl -D {_dir}/data -m immediate -w stop");

    private bool PortWasTaken()
    {
        var log = Path.Combine(_dir, "log");
        return File.Exists(log) && File.ReadAllText(log).Contains("could not bind", StringComparison.OrdinalIgnoreCase);
    }

    public static bool Available => Directory.Exists("/usr/lib/postgresql") && Environment.UserName == "root";

    private static void AsPostgres(string command) => Run("su", "postgres", "-c", command);

    private static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(60_000) || p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {err.Result}");
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        try { Stop(); } catch (InvalidOperationException) { }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
