using System.Text.Json;
using Microsoft.Extensions.Options;
using Streams.Actors.Aggregates;
using Streams.Host.Dashboard;

namespace Streams.Host.Http.Streaming;

/// <summary>
/// Feeds the hub: every alert and aggregate this node reads from the output topics, and after each aggregate of a
/// watched municipality the subjects whose state changed, asked from their entities. One refresh per municipality
/// runs at a time; aggregates that arrive meanwhile are folded into one more, so the entities are asked at most about
/// as often as the municipality publishes (conflated, a few times per second), however many browsers watch.
/// </summary>
public sealed class LiveStreamSource : IHostedService
{
    private readonly OutputsFeed _feed;
    private readonly StreamHub _hub;
    private readonly LiveQueries _queries;
    private readonly RegistryLookup _registry;
    private readonly JsonSerializerOptions _json;
    private readonly ILogger<LiveStreamSource> _logger;
    private readonly Dictionary<string, Refresh> _refreshes = new();
    private readonly CancellationTokenSource _stopping = new();

    public LiveStreamSource(OutputsFeed feed, StreamHub hub, LiveQueries queries, RegistryLookup registry,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, ILogger<LiveStreamSource> logger)
    {
        _feed = feed;
        _hub = hub;
        _queries = queries;
        _registry = registry;
        _json = json.Value.SerializerOptions;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _feed.Received += OnRecord;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _feed.Received -= OnRecord;
        _stopping.Cancel();
        return Task.CompletedTask;
    }

    private void OnRecord(OutputRecord record)
    {
        // An event's data is one line: the value as written, unless a producer other than Streams wrote line breaks.
        var json = record.Utf8.Span.IndexOfAny((byte)'\n', (byte)'\r') < 0
            ? record.Utf8.Span
            : JsonSerializer.SerializeToUtf8Bytes(record.Value);
        if (record.Kind == OutputKind.Alert)
        {
            _hub.Publish("alert", record.Municipality, json);
            return;
        }
        _hub.Publish("aggregate", record.Municipality, json);
        if (record.Municipality is { } m && _hub.IsWatched(m)) RequestRefresh(m);
    }

    private void RequestRefresh(string municipality)
    {
        Refresh refresh;
        lock (_refreshes)
        {
            if (!_refreshes.TryGetValue(municipality, out refresh!)) _refreshes[municipality] = refresh = new Refresh();
            if (refresh.Running)
            {
                refresh.Again = true;
                return;
            }
            refresh.Running = true;
        }
        _ = Task.Run(() => RunAsync(municipality, refresh));
    }

    private async Task RunAsync(string municipality, Refresh refresh)
    {
        while (true)
        {
            try
            {
                await PublishChangedSubjects(municipality, refresh.Last).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is Akka.Actor.AskTimeoutException or OperationCanceledException)
            {
                // An entity that cannot answer now (e.g. its journal is down) is asked again with the next aggregate.
                _logger.LogDebug("Live stream: subjects of {Municipality} not refreshed: {Error}", municipality, ex.Message);
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "Live stream: refreshing the subjects of {Municipality} failed", municipality);
            }
            lock (_refreshes)
            {
                if (!refresh.Again || _stopping.IsCancellationRequested)
                {
                    refresh.Running = false;
                    return;
                }
                refresh.Again = false;
            }
        }
    }

    private async Task PublishChangedSubjects(string municipality, Dictionary<string, SensorSummary> last)
    {
        if (await _queries.Municipality(municipality, _stopping.Token).ConfigureAwait(false) is not { } now) return;
        var current = now.Subjects.ToDictionary(s => Key(s));
        var changed = now.Subjects.Where(s => !last.TryGetValue(Key(s), out var before) || before != s).ToList();
        var gone = last.Keys.Where(k => !current.ContainsKey(k)).ToList();
        var details = await Task.WhenAll(changed.Select(s => _queries.AskSensor(s.Kind, s.SensorId, _stopping.Token))).ConfigureAwait(false);
        foreach (var detail in details)
        {
            var view = SubjectView.From(detail, _registry.IsRegistered(detail.Subject), _feed);
            _hub.Publish("subject", municipality, JsonSerializer.SerializeToUtf8Bytes(view, _json));
        }
        foreach (var subject in gone)
            _hub.Publish("subject-removed", municipality, JsonSerializer.SerializeToUtf8Bytes(new { subject }, _json));
        last.Clear();
        foreach (var (k, v) in current) last[k] = v;
    }

    private static string Key(SensorSummary s) => Contracts.SubjectKinds.SubjectKey(s.Kind, s.SensorId);

    private sealed class Refresh
    {
        public bool Running;
        public bool Again;
        public readonly Dictionary<string, SensorSummary> Last = new();
    }
}
