package io.presence.signaling.runtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.Queue;

/**
 * A loop that runs nothing by itself: tasks wait until the test calls {@link #runPending}, timers until the test
 * moves time past them ({@link ManualLoops#advance}). Deterministic, so a test can stop the world between any two
 * tasks and look. Runs everything on the test's thread; {@link #inLoop} is true only while this loop runs a task.
 *
 * <p>Not thread-safe: one test thread drives it.
 */
public final class ManualLoop implements Loop {
    private final String name;
    private final ManualTime time;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private long timerSeq;
    private boolean running;
    private boolean shutDown;

    public ManualLoop(String name, ManualTime time) {
        this.name = name;
        this.time = time;
    }

    @Override
    public void execute(Runnable task) {
        if (shutDown) {
            throw new java.util.concurrent.RejectedExecutionException(name + " is shut down");
        }
        tasks.add(task);
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        if (shutDown) {
            throw new java.util.concurrent.RejectedExecutionException(name + " is shut down");
        }
        Timer t = new Timer(time.nanos() + delay.toNanos(), timerSeq++, task);
        timers.add(t);
        return () -> t.cancelled = true;
    }

    @Override
    public boolean inLoop() {
        return running;
    }

    /** Runs queued tasks, including those they queue, until none is left; returns how many ran. */
    public int runPending() {
        int ran = 0;
        Runnable task;
        while ((task = tasks.poll()) != null) {
            runOne(task);
            ran++;
        }
        return ran;
    }

    /** Runs the oldest queued task, if any; returns whether one ran. */
    public boolean runOne() {
        Runnable task = tasks.poll();
        if (task == null) {
            return false;
        }
        runOne(task);
        return true;
    }

    /** Tasks queued and not yet run. */
    public int pending() {
        return tasks.size();
    }

    /** Timers not yet run and not cancelled. */
    public int timers() {
        int n = 0;
        for (Timer t : timers) {
            n += t.cancelled ? 0 : 1;
        }
        return n;
    }

    /** Refuses every later task and timer, as a loop does while it shuts down. */
    public void shutDown() {
        shutDown = true;
    }

    /** The due time of the earliest live timer, or {@link Long#MAX_VALUE}. */
    long nextDue() {
        while (!timers.isEmpty() && timers.peek().cancelled) {
            timers.poll();
        }
        return timers.isEmpty() ? Long.MAX_VALUE : timers.peek().due;
    }

    /** Runs the timers due at or before the current time, in due order. */
    void runDueTimers() {
        while (nextDue() <= time.nanos()) {
            runOne(timers.poll().task);
        }
    }

    private void runOne(Runnable task) {
        running = true;
        try {
            task.run();
        } finally {
            running = false;
        }
    }

    @Override
    public String toString() {
        return name;
    }

    private static final class Timer implements Comparable<Timer> {
        final long due;
        final long seq;
        final Runnable task;
        boolean cancelled;

        Timer(long due, long seq, Runnable task) {
            this.due = due;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public int compareTo(Timer o) {
            return due != o.due ? Long.compare(due, o.due) : Long.compare(seq, o.seq);
        }
    }
}
