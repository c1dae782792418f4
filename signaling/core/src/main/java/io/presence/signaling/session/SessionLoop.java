package io.presence.signaling.session;

import io.presence.signaling.runtime.Cancellable;
import io.presence.signaling.runtime.Loop;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Where a session's state lives, and its move to another loop. A session starts on its first connection's loop;
 * when it is resumed on a connection of another loop it moves there, so that its requests and writes stop crossing
 * threads.
 *
 * <p>The move keeps every sender's order. From the moment it starts, new work goes to the new loop
 * ({@link #target}) and waits there, in arrival order, until the state arrives. The state stays on the old loop
 * until everything sent to it before the move has run there: the old loop's own queue, and each source that sends
 * from another loop (the session's rooms), whose {@linkplain #moveTo barrier} runs behind what it already sent. Then
 * the state is handed over in one task, which first runs the work that waited. Work that still reaches the old
 * loop afterwards follows the session to the new one.
 *
 * <p>Thread-safe. Work runs one task at a time on the owning loop; {@link #execute} from the owning loop runs at
 * once.
 */
final class SessionLoop implements Loop {
    /** The loop that may touch the session's state now; null while the state is on its way between loops. */
    private volatile Loop owner;
    /** Where new work is sent: the owner, or during a move the loop the state moves to. */
    private volatile Loop target;
    /** Work that reached the target before the state did; touched on the target only. */
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>(0);
    /** A move is in flight; set on the old owner, cleared on the new one (ordered by the hand-over task). */
    private boolean moving;

    SessionLoop(Loop loop) {
        this.owner = loop;
        this.target = loop;
    }

    /** The loop work for the session is sent to: rooms batch what they send the session per loop. */
    Loop target() {
        return target;
    }

    /** Whether the calling thread owns the session's state now. */
    @Override
    public boolean inLoop() {
        Loop o = owner;
        return o != null && o.inLoop();
    }

    /** Runs {@code task} with the session's state: at once on the owning loop, else in order on the target. */
    @Override
    public void execute(Runnable task) {
        Loop o = owner;
        if (o != null && o.inLoop()) {
            task.run();
            return;
        }
        Loop t = target;
        if (t.inLoop()) {
            waiting.add(task); // the state is on its way here
            return;
        }
        submit(t, () -> execute(task));
    }

    /** Runs {@code task} with the session's state after {@code delay}, wherever the session lives by then. */
    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        Loop o = owner;
        return (o != null ? o : target).schedule(() -> execute(task), delay);
    }

    /**
     * Moves the state to {@code to}; called on the owning loop. Does nothing when the session is there already, or
     * while an earlier move is in flight (it then stays on the loop that move goes to).
     *
     * @param senders each runs its argument on the sender's loop behind everything the sender has sent so far
     */
    void moveTo(Loop to, Collection<? extends Consumer<Runnable>> senders) {
        Loop from = owner;
        if (moving || from == to || from == null || !from.inLoop()) {
            return;
        }
        moving = true;
        target = to;
        int[] left = {senders.size() + 1};
        Runnable passed = () -> {
            if (--left[0] == 0) {
                handOver(from, to);
            }
        };
        for (Consumer<Runnable> sender : senders) {
            sender.accept(() -> submit(from, passed));
        }
        submit(from, passed); // behind what is queued on the old loop now
    }

    private void handOver(Loop from, Loop to) {
        owner = null;
        submit(to, () -> {
            owner = to;
            moving = false;
            Runnable task;
            while ((task = waiting.poll()) != null) {
                task.run();
            }
        });
    }

    private static void submit(Loop loop, Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            // Only while the appliance shuts its loops down; the session dies with them.
        }
    }

    @Override
    public String toString() {
        Loop o = owner;
        return o == target ? String.valueOf(o) : o + " -> " + target;
    }
}
