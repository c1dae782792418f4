package io.presence.signaling.loadtest;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Shows a load test's progress on a stream (stderr, so stdout holds nothing but the report). On a terminal: one
 * bar redrawn in place a few times a second. Elsewhere (a log file, CI): a line when a phase begins and one every
 * {@code every} within it, so a long run shows it is alive without flooding the log.
 */
public final class ProgressPrinter implements LoadTestProgress {

    private static final int BAR_WIDTH = 30;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private final long everyNanos;
    private final LongSupplier clock;
    private final long started;
    private Phase phase;
    private long lastPrint;
    private int lastWidth;

    public ProgressPrinter(PrintStream out, boolean terminal, Duration every) {
        this(out, terminal, every, System::nanoTime);
    }

    ProgressPrinter(PrintStream out, boolean terminal, Duration every, LongSupplier clock) {
        this.out = out;
        this.terminal = terminal;
        this.everyNanos = every.toNanos();
        this.clock = clock;
        this.started = clock.getAsLong();
    }

    @Override
    public void update(Snapshot s) {
        long now = clock.getAsLong();
        boolean newPhase = s.phase() != phase;
        phase = s.phase();
        if (terminal) {
            if (newPhase || now - lastPrint >= REDRAW_NANOS) {
                lastPrint = now;
                bar(s, now);
            }
        } else if (newPhase || now - lastPrint >= everyNanos) {
            lastPrint = now;
            out.println("loadtest: " + describe(s, now));
            out.flush();
        }
    }

    private void bar(Snapshot s, long now) {
        int filled = (int) Math.round(Math.max(0, Math.min(1, s.phaseFraction())) * BAR_WIDTH);
        String line = "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] " + describe(s, now);
        // Pad over the previous, longer line; the bar ends with a newline once the run is done.
        String padded = line.length() < lastWidth ? line + " ".repeat(lastWidth - line.length()) : line;
        lastWidth = line.length();
        out.print("\r" + padded + (s.phase() == Phase.DONE ? "\n" : ""));
        out.flush();
    }

    private String describe(Snapshot s, long now) {
        return String.format(Locale.ROOT, "%5.1f s %-10s %3.0f%% | sessions %d/%d | sent %d | delivered %d | errors %d",
                (now - started) / 1e9, s.phase().name().toLowerCase(Locale.ROOT), s.phaseFraction() * 100,
                s.sessions(), s.targetSessions(), s.sent(), s.delivered(), s.errors());
    }
}
