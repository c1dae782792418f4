package io.presence.metrics.health;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Whether the appliance should receive traffic: its lifecycle phase plus the state of each required
 * dependency. Owned by the lifecycle (which moves the phase) and read by the admin listener.
 *
 * <p>Thread-safe: the phase is volatile, checks are registered before start and run on each probe.
 */
public final class Readiness {

    /** Lifecycle phases as seen by a load balancer. */
    public enum Phase { STARTING, READY, DRAINING, STOPPED }

    /** A required dependency; {@code null} from {@link #problem()} means healthy. */
    public interface Check {
        String name();

        /** A short reason when the dependency is down, {@code null} when it is up. Must not block long. */
        String problem();
    }

    /** The result of one probe. */
    public record Report(boolean ready, String body) { }

    private volatile Phase phase = Phase.STARTING;
    private final List<Check> checks = new CopyOnWriteArrayList<>();
    private final Map<String, Boolean> names = new ConcurrentHashMap<>();

    public Phase phase() {
        return phase;
    }

    public void moveTo(Phase next) {
        this.phase = next;
    }

    public void require(Check check) {
        if (names.putIfAbsent(check.name(), Boolean.TRUE) != null) {
            throw new IllegalArgumentException("duplicate readiness check " + check.name());
        }
        checks.add(check);
    }

    public Report probe() {
        StringBuilder body = new StringBuilder();
        boolean ready = phase == Phase.READY;
        if (!ready) {
            body.append("not ready: ").append(phase.name().toLowerCase()).append('\n');
        }
        for (Check check : checks) {
            String problem;
            try {
                problem = check.problem();
            } catch (RuntimeException e) {
                problem = e.getClass().getSimpleName();
            }
            if (problem != null) {
                ready = false;
                body.append("not ready: ").append(check.name()).append(": ").append(problem).append('\n');
            }
        }
        return new Report(ready, ready ? "ready\n" : body.toString());
    }
}
