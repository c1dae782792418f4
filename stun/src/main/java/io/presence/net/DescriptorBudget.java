package io.presence.net;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * Shares the process's file descriptors among the TCP listeners' connection caps so that, with every cap reached,
 * {@code reserve} descriptors are still free for everything else: UDP sockets (relay addresses, client and peer
 * sockets), the admin listener, log and data files. A flood on one listener then exhausts its own cap, never the
 * process.
 *
 * <p>A cap of {@link #AUTO} takes its share of the descriptors left after the reserve and the fixed caps; fixed caps
 * that do not fit are scaled down together. Stateless.
 */
public final class DescriptorBudget {
    /** A cap to derive from the descriptor limit. */
    public static final int AUTO = 0;
    /** No listener's cap goes below this, whatever the limit: the listener must still serve someone. */
    public static final int MIN_CAP = 16;

    private DescriptorBudget() {
    }

    /** The process's descriptor limit (RLIMIT_NOFILE), when the JVM can tell. */
    public static OptionalLong processLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            long max = unix.getMaxFileDescriptorCount();
            return max > 0 ? OptionalLong.of(max) : OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    /** Descriptors the process holds now, when the JVM can tell. */
    public static OptionalLong openNow() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            long open = unix.getOpenFileDescriptorCount();
            return open >= 0 ? OptionalLong.of(open) : OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    /**
     * The caps to use.
     *
     * @param available descriptors the caps may take together: the limit less those open now and the reserve
     * @param caps      each listener's configured cap, {@link #AUTO} for a derived one
     * @param shares    each AUTO listener's weight in what the fixed caps leave (ignored for fixed caps)
     * @return one cap per listener, each at least {@link #MIN_CAP}; their sum at most {@code available} unless
     *         that is below {@code MIN_CAP} per listener
     */
    public static int[] fit(long available, int[] caps, int[] shares) {
        if (caps.length != shares.length) {
            throw new IllegalArgumentException("one share per cap");
        }
        int[] out = caps.clone();
        long fixed = 0;
        long autoShares = 0;
        for (int i = 0; i < caps.length; i++) {
            if (caps[i] < 0 || shares[i] < 0) {
                throw new IllegalArgumentException("caps and shares must not be negative");
            }
            if (caps[i] == AUTO) {
                autoShares += Math.max(1, shares[i]);
            } else {
                fixed += caps[i];
            }
        }
        long left = Math.max(0, available - fixed);
        if (fixed > available) {
            // The fixed caps alone do not fit: scale them down together, keep AUTO ones at the minimum.
            long room = Math.max(0, available - (long) MIN_CAP * (caps.length - countFixed(caps)));
            for (int i = 0; i < caps.length; i++) {
                if (caps[i] != AUTO) {
                    out[i] = (int) Math.max(MIN_CAP, caps[i] * room / fixed);
                }
            }
            left = 0;
        }
        for (int i = 0; i < caps.length; i++) {
            if (caps[i] == AUTO) {
                out[i] = (int) Math.max(MIN_CAP, Math.min(Integer.MAX_VALUE, left * Math.max(1, shares[i]) / autoShares));
            }
        }
        return out;
    }

    private static int countFixed(int[] caps) {
        return (int) Arrays.stream(caps).filter(c -> c != AUTO).count();
    }
}
