using System.Runtime.CompilerServices;
using Akka.Actor;

namespace Streams.Actors.Entities;

/// <summary>
/// Lets an actor drop the sender of the message it has just handled. Akka.NET's actor cell clears its current message
/// after handling it but keeps the sender until the next message arrives. A sensor's last message is usually its
/// write's confirmation, whose sender is the pipeline's ask: a temporary actor with its task, timeout timer and path,
/// about a kilobyte. Kept until the sensor's next reading, seconds later at a city's size, it outlived the youngest
/// generation at every reading and was copied by the collector (docs/performance.md, twenty-first round).
/// </summary>
public static class LastSender
{
    private static bool _supported = true;

    /// <summary>Forgets the sender of the message being handled; call it last, when nothing of the handler needs it.</summary>
    public static void Forget(IActorContext context)
    {
        if (!_supported || context is not ActorCell cell) return;
        try
        {
            SetSender(cell, ActorRefs.NoSender);
        }
        catch (MissingMethodException)
        {
            // A later Akka.NET without the setter: keep working, only without the saving.
            _supported = false;
        }
    }

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "set_Sender")]
    private static extern void SetSender(ActorCell cell, IActorRef? sender);
}
