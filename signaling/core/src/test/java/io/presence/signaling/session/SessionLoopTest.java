package io.presence.signaling.session;

import io.presence.signaling.runtime.Loop;
import io.presence.signaling.runtime.ManualLoop;
import io.presence.signaling.runtime.ManualLoops;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The move of a session's state between loops, step by step on manual loops. */
class SessionLoopTest {
    final ManualLoops loops = new ManualLoops(3);
    final ManualLoop old = loops.get(0);
    final ManualLoop next = loops.get(1);
    final ManualLoop sender = loops.get(2);
    final SessionLoop home = new SessionLoop(old);
    final List<String> ran = new ArrayList<>();

    /** What the session runs: records the name, and that it ran on the loop owning the state. */
    Runnable work(String name) {
        return () -> {
            assertTrue(home.inLoop(), name + " ran where the state is");
            ran.add(name);
        };
    }

    /** A sender on its own loop, as a room is: runs what it is given there, in order. */
    final Consumer<Runnable> senderBarrier = sender::execute;

    @Test
    void workFromTheOwningLoopRunsAtOnceAndFromElsewhereInOrderThere() {
        old.execute(() -> {
            home.execute(work("inline"));
            assertEquals(List.of("inline"), ran);
        });
        sender.execute(() -> home.execute(work("hop 1")));
        sender.execute(() -> home.execute(work("hop 2")));
        loops.run();
        assertEquals(List.of("inline", "hop 1", "hop 2"), ran);
    }

    @Test
    void workReachingTheNewLoopEarlyWaitsForTheState() {
        old.execute(() -> home.moveTo(next, List.of()));
        old.execute(() -> home.execute(work("queued on the old loop")));
        old.runOne();
        assertSame(next, home.target(), "new work goes to the new loop at once");
        next.execute(() -> home.execute(work("early")));
        next.runPending();
        assertEquals(List.of(), ran, "held: the state is still on the old loop");
        loops.run();
        assertEquals(List.of("queued on the old loop", "early"), ran);
        next.execute(() -> assertTrue(home.inLoop()));
        old.execute(() -> assertFalse(home.inLoop()));
        loops.run();
    }

    /**
     * The race a barrier closes: a sender read the old loop just before the move and hands its work there just
     * after; its next work goes to the new loop. The barrier keeps the state on the old loop until the first has run.
     */
    @Test
    void aSendersWorkInFlightToTheOldLoopStaysAheadOfItsNextWork() {
        old.execute(() -> home.moveTo(next, List.of(senderBarrier)));
        sender.execute(() -> {
            Loop stale = home.target();
            old.runOne(); // the move happens while this sender is between reading the loop and handing over
            stale.execute(() -> home.execute(work("first")));
        });
        sender.runOne();
        sender.execute(() -> {
            Loop fresh = home.target();
            fresh.execute(() -> home.execute(work("second")));
        });
        // The order that is worst for the move: the sender drains, then the old loop, then the new one.
        sender.runPending();
        old.runPending();
        next.runPending();
        loops.run();
        assertEquals(List.of("first", "second"), ran);
        assertSame(next, home.target());
    }

    @Test
    void aTimerArmedBeforeTheMoveRunsWhereTheStateIsWhenItFires() {
        old.execute(() -> home.schedule(work("timer"), Duration.ofSeconds(1)));
        old.execute(() -> home.moveTo(next, List.of()));
        loops.run();
        loops.advance(Duration.ofSeconds(1));
        assertEquals(List.of("timer"), ran);
    }

    @Test
    void aMoveToTheLoopItIsOnChangesNothing() {
        old.execute(() -> home.moveTo(old, List.of(senderBarrier)));
        loops.run();
        assertEquals(0, sender.pending());
        old.execute(() -> assertTrue(home.inLoop()));
        loops.run();
    }
}
