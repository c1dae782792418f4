package io.presence.net;

import io.netty.util.ResourceLeakDetector;

/**
 * Netty's buffer leak detection for a production process. Netty samples one buffer in 128 by default and
 * records a stack trace for it; on the relay's per-datagram path that stack capture alone was 1–2 % of the
 * server's CPU in the TURN benchmark (perf: {@code Throwable::fill_in_stack_trace} and the stack walk). The
 * appliance and the benchmark entry points therefore run with it off, unless the operator asks for a level
 * with {@code -Dio.netty.leakDetection.level=…}. The test suites keep Netty's default, and the codec fuzz
 * tests run at PARANOID, which is where leaks are caught.
 */
public final class LeakDetection {
    private LeakDetection() {
    }

    /** Turns leak detection off unless {@code io.netty.leakDetection.level} is set. Call before any buffer. */
    public static void productionDefault() {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }
}
