package io.presence.signaling.jdbc;

import io.presence.signaling.storage.InviteKind;
import io.presence.signaling.storage.InviteRecord;
import io.presence.signaling.storage.InviteStore;
import io.presence.signaling.storage.Redemption;
import io.presence.signaling.storage.RoomMembership;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Invites kept in the database (V4): the invite rows, who redeemed them, and the memberships they grant.
 *
 * <p>A single-use invite is consumed by one conditional {@code UPDATE ... WHERE uses = 0}: the database's row lock
 * decides between concurrent redemptions, so exactly one is counted, on H2 and MySQL/MariaDB alike, without a
 * lock of ours and without a read-then-write window.
 *
 * <p>Thread-safe; every call runs on the storage executor and never blocks the caller.
 */
public final class JdbcInviteStore implements InviteStore {
    private static final String COLUMNS = "id, room_id, token_hash, kind, target_user, created_by, created_at,"
            + " expires_at, revoked_at, uses";

    private final Database database;

    public JdbcInviteStore(Database database) {
        this.database = database;
    }

    @Override
    public CompletionStage<List<String>> create(InviteRecord invite) {
        return database.executor().submit(() -> database.call(c -> {
            c.setAutoCommit(false);
            try {
                List<String> revoked = new ArrayList<>();
                if (invite.kind() == InviteKind.PUBLIC) {
                    revoked = ids(c, "SELECT id FROM invites WHERE room_id = ? AND kind = ? AND revoked_at IS NULL",
                            invite.roomId(), InviteKind.PUBLIC.wire());
                    try (PreparedStatement s = c.prepareStatement("UPDATE invites SET revoked_at = ?"
                            + " WHERE room_id = ? AND kind = ? AND revoked_at IS NULL")) {
                        s.setLong(1, invite.createdAtMillis());
                        s.setString(2, invite.roomId());
                        s.setString(3, InviteKind.PUBLIC.wire());
                        s.executeUpdate();
                    }
                }
                try (PreparedStatement s = c.prepareStatement("INSERT INTO invites (" + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    s.setString(1, invite.id());
                    s.setString(2, invite.roomId());
                    s.setString(3, invite.tokenHash());
                    s.setString(4, invite.kind().wire());
                    s.setString(5, invite.targetUser());
                    s.setString(6, invite.createdBy());
                    s.setLong(7, invite.createdAtMillis());
                    s.setLong(8, invite.expiresAtMillis());
                    if (invite.revokedAtMillis() == null) {
                        s.setNull(9, Types.BIGINT);
                    } else {
                        s.setLong(9, invite.revokedAtMillis());
                    }
                    s.setInt(10, invite.uses());
                    s.executeUpdate();
                }
                c.commit();
                return revoked;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }));
    }

    @Override
    public CompletionStage<Optional<InviteRecord>> byTokenHash(String tokenHash) {
        return database.executor().submit(() -> database.call(c -> one(c, "token_hash", tokenHash)));
    }

    @Override
    public CompletionStage<Optional<InviteRecord>> byId(String inviteId) {
        return database.executor().submit(() -> database.call(c -> one(c, "id", inviteId)));
    }

    @Override
    public CompletionStage<Redemption> redeem(String inviteId, RoomMembership membership, long nowMillis) {
        return database.executor().submit(() -> database.call(c -> {
            c.setAutoCommit(false);
            try {
                int counted;
                // Single-use kinds only while unused: this one statement is the whole race.
                try (PreparedStatement s = c.prepareStatement("UPDATE invites SET uses = uses + 1"
                        + " WHERE id = ? AND revoked_at IS NULL AND expires_at > ? AND (kind = ? OR uses = 0)")) {
                    s.setString(1, inviteId);
                    s.setLong(2, nowMillis);
                    s.setString(3, InviteKind.PUBLIC.wire());
                    counted = s.executeUpdate();
                }
                if (counted == 0) {
                    c.rollback();
                    return refusal(c, inviteId, nowMillis);
                }
                String roomId = ids(c, "SELECT room_id FROM invites WHERE id = ?", inviteId).get(0);
                if (ids(c, "SELECT user_id FROM invite_redemptions WHERE invite_id = ? AND user_id = ?",
                        inviteId, membership.userId()).isEmpty()) {
                    try (PreparedStatement s = c.prepareStatement(
                            "INSERT INTO invite_redemptions (invite_id, user_id, redeemed_at) VALUES (?, ?, ?)")) {
                        s.setString(1, inviteId);
                        s.setString(2, membership.userId());
                        s.setLong(3, nowMillis);
                        s.executeUpdate();
                    }
                }
                // An invite never lowers a role: a member (or owner) who redeems keeps theirs.
                if (SqlWork.update(c, "UPDATE members SET display_name = COALESCE(?, display_name)"
                        + " WHERE room_id = ? AND user_id = ?", membership.displayName(), roomId,
                        membership.userId()) == 0) {
                    SqlWork.update(c, "INSERT INTO members (role, display_name, room_id, user_id) VALUES (?, ?, ?, ?)",
                            membership.role(), membership.displayName(), roomId, membership.userId());
                }
                c.commit();
                return Redemption.REDEEMED;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }));
    }

    /** Why a redemption was refused, read after the conditional update counted nothing. */
    private static Redemption refusal(Connection c, String inviteId, long nowMillis) throws SQLException {
        Optional<InviteRecord> invite = one(c, "id", inviteId);
        if (invite.isEmpty()) {
            return Redemption.UNKNOWN;
        }
        InviteRecord i = invite.get();
        if (i.revoked()) {
            return Redemption.REVOKED;
        }
        return i.expiredAt(nowMillis) ? Redemption.EXPIRED : Redemption.USED;
    }

    @Override
    public CompletionStage<Boolean> revoke(String roomId, String inviteId, long nowMillis) {
        return database.executor().submit(() -> database.call(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE invites SET revoked_at = ?"
                    + " WHERE id = ? AND room_id = ? AND revoked_at IS NULL")) {
                s.setLong(1, nowMillis);
                s.setString(2, inviteId);
                s.setString(3, roomId);
                return s.executeUpdate() == 1;
            }
        }));
    }

    @Override
    public CompletionStage<List<InviteRecord>> list(String roomId) {
        return database.executor().submit(() -> database.call(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM invites WHERE room_id = ? ORDER BY created_at, id")) {
                s.setString(1, roomId);
                return rows(s);
            }
        }));
    }

    @Override
    public CompletionStage<List<InviteRecord>> pending(String userId, long nowMillis) {
        return database.executor().submit(() -> database.call(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM invites"
                    + " WHERE target_user = ? AND revoked_at IS NULL AND uses = 0 AND expires_at > ?"
                    + " ORDER BY created_at, id")) {
                s.setString(1, userId);
                s.setLong(2, nowMillis);
                return rows(s);
            }
        }));
    }

    private static Optional<InviteRecord> one(Connection c, String column, String value) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM invites WHERE " + column + " = ?")) {
            s.setString(1, value);
            List<InviteRecord> found = rows(s);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
    }

    private static List<InviteRecord> rows(PreparedStatement s) throws SQLException {
        List<InviteRecord> invites = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                long revokedAt = rs.getLong(9);
                Long revoked = rs.wasNull() ? null : revokedAt;
                invites.add(new InviteRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                        InviteKind.fromWire(rs.getString(4)), rs.getString(5), rs.getString(6), rs.getLong(7),
                        rs.getLong(8), revoked, rs.getInt(10)));
            }
        }
        return invites;
    }

    private static List<String> ids(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }

}
