package io.presence.signaling.client;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * A configured client of one Presence server endpoint; makes sessions. Build one with {@link #builder()} and
 * keep it: it is immutable and thread-safe, and every session it makes shares its {@link ClientRuntime}.
 *
 * <pre>{@code
 * try (SignalingClient client = SignalingClient.builder().webSocket(URI.create("wss://chat.example/ws")).build()) {
 *     ClientSession session = client.connect();
 *     session.hello("alice");
 *     String room = session.createRoom();
 * }
 * }</pre>
 *
 * <p>{@link #close} closes the runtime only when this client created it ({@link Builder#threads}); a runtime
 * passed to {@link Builder#runtime} belongs to the caller.
 */
public final class SignalingClient implements AutoCloseable {
    private final ClientOptions options;
    private final ClientRuntime runtime;
    private final boolean ownsRuntime;

    private SignalingClient(ClientOptions options, ClientRuntime runtime, boolean ownsRuntime) {
        this.options = options;
        this.runtime = runtime;
        this.ownsRuntime = ownsRuntime;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder with this client's options, sharing its runtime (which the new client will not close). */
    public Builder newBuilder() {
        Builder b = new Builder();
        b.options = options;
        b.runtime = runtime;
        return b;
    }

    /** Opens a connection and returns its session, not yet logged in (see {@link ClientSession#hello}). */
    public ClientSession connect() {
        return newSession().connect();
    }

    /** A session that has not connected yet: register listeners first, then {@link ClientSession#connect()}. */
    public ClientSession newSession() {
        return new ClientSession(runtime, options);
    }

    public ClientOptions options() {
        return options;
    }

    public ClientRuntime runtime() {
        return runtime;
    }

    @Override
    public void close() {
        if (ownsRuntime) {
            runtime.close();
        }
    }

    /** Choose one endpoint ({@link #webSocket}, {@link #tcp} or {@link #options}), then refine it. */
    public static final class Builder {
        private ClientOptions options;
        private ClientRuntime runtime;
        private int threads = 1;

        private Builder() {
        }

        /** {@code ws://host[:port][/path]} or {@code wss://…} (system trust store); the path defaults to /ws. */
        public Builder webSocket(URI uri) {
            options = ClientOptions.webSocket(uri);
            return this;
        }

        public Builder webSocket(InetSocketAddress address) {
            options = ClientOptions.ws(address);
            return this;
        }

        /** The raw TCP transport: one JSON message per line. */
        public Builder tcp(String host, int port) {
            return tcp(InetSocketAddress.createUnresolved(host, port));
        }

        public Builder tcp(InetSocketAddress address) {
            options = ClientOptions.tcp(address);
            return this;
        }

        /** Every connection setting at once; replaces what {@link #webSocket} or {@link #tcp} chose. */
        public Builder options(ClientOptions clientOptions) {
            options = Objects.requireNonNull(clientOptions, "options");
            return this;
        }

        /** TLS, or null for plain text. */
        public Builder tls(ClientTls tls) {
            options = endpoint().withTls(tls);
            return this;
        }

        public Builder origin(String origin) {
            options = endpoint().withOrigin(origin);
            return this;
        }

        public Builder deflate(boolean deflate) {
            options = endpoint().withDeflate(deflate);
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            options = endpoint().withConnectTimeout(timeout);
            return this;
        }

        /** I/O threads of the runtime this client creates and owns (default 1); ignored with {@link #runtime}. */
        public Builder threads(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + count);
            }
            threads = count;
            return this;
        }

        /** Run on a shared runtime, which the client will not close. */
        public Builder runtime(ClientRuntime shared) {
            runtime = Objects.requireNonNull(shared, "runtime");
            return this;
        }

        public SignalingClient build() {
            ClientOptions endpoint = endpoint();
            return runtime != null ? new SignalingClient(endpoint, runtime, false)
                    : new SignalingClient(endpoint, ClientRuntime.create(threads), true);
        }

        private ClientOptions endpoint() {
            if (options == null) {
                throw new IllegalStateException("choose an endpoint first: webSocket(...), tcp(...) or options(...)");
            }
            return options;
        }
    }
}
