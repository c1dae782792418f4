-- Revoked sign-ins: a user's tokens issued at or before revoked_at (epoch ms) are refused. One row per user, moved
-- forward by a later revocation; read whole at start (revocations are rare administrator actions) and kept in memory.
CREATE TABLE revocations (
    user_id     VARCHAR(128) NOT NULL,
    revoked_at  BIGINT       NOT NULL,
    PRIMARY KEY (user_id)
) ${table_options};
