package io.presence.signaling.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A group of {@link ManualLoop}s on one {@link ManualTime}: {@link #next} hands them out round-robin, {@link #run}
 * runs every loop's tasks until all are idle, {@link #advance} moves time and fires the timers that fall due in
 * order of their due time, running the tasks they cause after each.
 *
 * <p>Not thread-safe: one test thread drives it.
 */
public final class ManualLoops implements LoopGroup {
    private final ManualTime time = new ManualTime();
    private final List<ManualLoop> loops = new ArrayList<>();
    private int next;

    public ManualLoops(int count) {
        for (int i = 0; i < count; i++) {
            loops.add(new ManualLoop("loop-" + i, time));
        }
    }

    public ManualTime time() {
        return time;
    }

    public ManualLoop get(int index) {
        return loops.get(index);
    }

    @Override
    public Loop next() {
        ManualLoop l = loops.get(next);
        next = (next + 1) % loops.size();
        return l;
    }

    @Override
    public boolean contains(Loop loop) {
        return loops.contains(loop);
    }

    /** Runs the tasks of every loop, and those they queue anywhere, until no loop has any; returns how many ran. */
    public int run() {
        int total = 0;
        int ran;
        do {
            ran = 0;
            for (ManualLoop l : loops) {
                ran += l.runPending();
            }
            total += ran;
        } while (ran > 0);
        return total;
    }

    /**
     * Runs every loop's tasks until none is left, one task at a time, picking the loop for each at random: an
     * interleaving of the loops' queues that {@code random}'s seed reproduces. Each loop still runs its own
     * tasks in order, as a real loop does.
     */
    public int runInterleaved(java.util.Random random) {
        int ran = 0;
        List<ManualLoop> busy = new ArrayList<>(loops.size());
        while (true) {
            busy.clear();
            for (ManualLoop l : loops) {
                if (l.pending() > 0) {
                    busy.add(l);
                }
            }
            if (busy.isEmpty()) {
                return ran;
            }
            busy.get(random.nextInt(busy.size())).runOne();
            ran++;
        }
    }

    /** Runs what is pending, then moves time by {@code by}, firing timers in due order and running what they cause. */
    public void advance(Duration by) {
        run();
        long target = time.nanos() + by.toNanos();
        while (true) {
            long due = Long.MAX_VALUE;
            for (ManualLoop l : loops) {
                due = Math.min(due, l.nextDue());
            }
            if (due > target) {
                break;
            }
            time.set(Math.max(due, time.nanos()));
            for (ManualLoop l : loops) {
                l.runDueTimers();
            }
            run();
        }
        time.set(target);
    }
}
