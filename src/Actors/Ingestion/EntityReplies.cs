using System.Collections.Concurrent;
using Akka.Actor;
using Streams.Actors.Entities;

namespace Streams.Actors.Ingestion;

/// <summary>
/// The answers of sensor entities to the pipeline's commands, received by one long-lived actor. An ask costs a
/// temporary actor, a task, a cancellation source and a timer per command: about a fifth of what an ask to a live
/// sharded persistent actor costs (the `floor` benchmark, docs/performance.md). Here a command's answer is found by the
/// subject it names, which is unambiguous because a subject has one command in flight (<see cref="SubjectLanes"/>) and
/// an entity answers each command once.
/// </summary>
/// <remarks>
/// One case would be ambiguous: a command whose wait timed out may still be answered later, and that answer must not
/// be taken for the answer to the subject's next command. So a subject that timed out once is asked through Akka's ask
/// (a reply address of its own per command) for as long as this instance lives; timeouts are rare, and the set of such
/// subjects only grows with them. Waits time out within a second of their deadline (one sweep per second, not one timer
/// per command).
/// </remarks>
public sealed class EntityReplies : IDisposable
{
    private readonly ConcurrentDictionary<string, Waiter> _waiting = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _askedApart = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly IActorRef _receiver;
    private readonly ITimer _sweep;
    private int _disposed;

    public EntityReplies(IActorRefFactory actors, TimeProvider? time = null, TimeSpan? sweepEvery = null)
    {
        _time = time ?? TimeProvider.System;
        _receiver = actors.ActorOf(Props.Create(() => new Receiver(this)).WithDeploy(Deploy.Local));
        var every = sweepEvery ?? TimeSpan.FromSeconds(1);
        _sweep = _time.CreateTimer(_ => Sweep(), null, every, every);
    }

    /// <summary>Subjects that are asked through Akka's ask since a wait of theirs timed out.</summary>
    public int AskedApart => _askedApart.Count;

    /// <summary>
    /// Sends <paramref name="command"/> for <paramref name="subject"/> to <paramref name="region"/> and returns its
    /// answer, or fails with <see cref="AskTimeoutException"/> once <paramref name="timeout"/> has passed without one.
    /// The caller sends a subject's next command only after this one's task completed.
    /// </summary>
    public Task<IStreamsMessage> Ask(IActorRef region, ISensorCommand command, string subject, TimeSpan timeout)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_askedApart.ContainsKey(subject)) return region.Ask<IStreamsMessage>(command, timeout);
        var waiter = new Waiter(_time.GetUtcNow() + timeout, timeout);
        _waiting[subject] = waiter;
        region.Tell(command, _receiver);
        return waiter.Task;
    }

    /// <summary>An answer arrived: it completes its subject's wait, if one is open.</summary>
    internal void Deliver(object answer)
    {
        var subject = answer switch
        {
            ReadingsAck a => a.Subject,
            ReadingsNotStored n => n.Subject,
            ReadingsRefused r => r.Subject,
            _ => null,
        };
        if (subject is not null && _waiting.TryRemove(subject, out var waiter)) waiter.TrySetResult((IStreamsMessage)answer);
    }

    /// <summary>Fails the waits whose deadline has passed, after marking their subjects to be asked apart.</summary>
    internal void Sweep()
    {
        var now = _time.GetUtcNow();
        foreach (var (subject, waiter) in _waiting)
        {
            if (waiter.Deadline > now) continue;
            // Marked first: the pipeline's retry, which follows the failure below, must not wait here again.
            _askedApart.TryAdd(subject, 0);
            if (_waiting.TryRemove(new KeyValuePair<string, Waiter>(subject, waiter)))
                waiter.TrySetException(new AskTimeoutException($"no answer from {subject} within {waiter.Timeout.TotalSeconds:0.#} s"));
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _sweep.Dispose();
        _receiver.Tell(PoisonPill.Instance);
        foreach (var (subject, waiter) in _waiting)
        {
            if (_waiting.TryRemove(new KeyValuePair<string, Waiter>(subject, waiter)))
                waiter.TrySetException(new AskTimeoutException($"the pipeline stopped before {subject} answered"));
        }
    }

    private sealed class Waiter(DateTimeOffset deadline, TimeSpan timeout) : TaskCompletionSource<IStreamsMessage>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public DateTimeOffset Deadline { get; } = deadline;
        public TimeSpan Timeout { get; } = timeout;
    }

    private sealed class Receiver(EntityReplies replies) : UntypedActor
    {
        protected override void OnReceive(object message) => replies.Deliver(message);
    }
}
