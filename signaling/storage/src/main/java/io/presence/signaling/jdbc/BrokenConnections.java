package io.presence.signaling.jdbc;

import com.zaxxer.hikari.SQLExceptionOverride;

import java.sql.SQLException;
import java.util.Set;

/**
 * Tells the pool which failures mean the connection is dead. HikariCP evicts on SQLState class 08 by itself, but
 * H2's client reports a cut connection as {@code 90067} ("connection broken"), as {@code 90028} ("IO Exception"
 * with an EOF, when the cut comes in the middle of a reply) or, once the server dropped its session, {@code 90121}
 * ("database is already closed"): without this the pool would hand the same dead connection out again, and
 * storage would stay unavailable after the database came back.
 *
 * <p>Instantiated by HikariCP by name; stateless.
 */
public final class BrokenConnections implements SQLExceptionOverride {
    /** H2's "Connection is broken", "IO Exception" and "Database is already closed". */
    static final Set<String> H2_CONNECTION_GONE = Set.of("90067", "90028", "90121");

    @java.lang.Override
    public Override adjudicate(SQLException e) {
        return gone(e) ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
    }

    static boolean gone(SQLException e) {
        return e.getSQLState() != null && H2_CONNECTION_GONE.contains(e.getSQLState());
    }
}
