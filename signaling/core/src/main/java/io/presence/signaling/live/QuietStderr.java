package io.presence.signaling.live;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.concurrent.Callable;

/**
 * Keeps the JAIN-SDP parser from writing to the process's stderr. Its field parsers and the bridge's factory
 * call {@code printStackTrace()} on every parse error; there is no switch for that. {@link #call} installs, once,
 * a pass-through {@code System.err} that drops bytes written by a thread while that thread is inside
 * {@link #call}, and forwards everything else unchanged to the stream that was there before. If something later
 * replaces {@code System.err}, the next call wraps the new stream the same way.
 *
 * <p>Concurrency: the mute flag is per thread, so a parse on one event loop never hides another thread's
 * output. Installation is synchronized; the check on each call is a volatile read.
 */
final class QuietStderr {

    private static final ThreadLocal<int[]> MUTED = ThreadLocal.withInitial(() -> new int[1]);

    private static volatile PrintStream installed;

    private QuietStderr() {
    }

    static <T> T call(Callable<T> body) throws Exception {
        ensureInstalled();
        int[] depth = MUTED.get();
        depth[0]++;
        try {
            return body.call();
        } finally {
            depth[0]--;
        }
    }

    private static void ensureInstalled() {
        if (System.err == installed) {
            return;
        }
        synchronized (QuietStderr.class) {
            PrintStream current = System.err;
            if (current != installed) {
                PrintStream quiet = new PrintStream(new Filter(current), true, stderrCharset());
                installed = quiet;
                System.setErr(quiet);
            }
        }
    }

    private static Charset stderrCharset() {
        String name = System.getProperty("stderr.encoding", System.getProperty("sun.stderr.encoding"));
        try {
            return name != null ? Charset.forName(name) : Charset.defaultCharset();
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }

    private static final class Filter extends OutputStream {
        private final PrintStream target;

        Filter(PrintStream target) {
            this.target = target;
        }

        private static boolean muted() {
            return MUTED.get()[0] > 0;
        }

        @Override
        public void write(int b) {
            if (!muted()) {
                target.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (!muted()) {
                target.write(b, off, len);
            }
        }

        @Override
        public void flush() {
            if (!muted()) {
                target.flush();
            }
        }

        @Override
        public void close() throws IOException {
            target.flush();
        }
    }
}
