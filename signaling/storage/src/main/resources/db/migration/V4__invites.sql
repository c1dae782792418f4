-- Invites to persistent rooms and who redeemed them. Only the SHA-256 of an invite's token is kept (hex, 64
-- characters): a copy of the table does not let anyone in. uq_invites_token answers the lookup by hash of every
-- redemption; idx_invites_room answers invite.list and the "one public invite per room" revocation;
-- idx_invites_target answers the pending targeted invites of a user at sign-in.
-- uses counts redemptions; a single invite is consumed by the conditional UPDATE ... WHERE uses = 0, which lets
-- exactly one of two concurrent redemptions through on both databases.
-- Closing a room deletes its invites and their redemptions by the cascades, in the room's own transaction.
CREATE TABLE invites (
    id           VARCHAR(64)   NOT NULL,
    room_id      VARCHAR(128)  NOT NULL,
    token_hash   CHAR(64)      NOT NULL,
    kind         VARCHAR(16)   NOT NULL,
    target_user  VARCHAR(128),
    created_by   VARCHAR(128)  NOT NULL,
    created_at   BIGINT        NOT NULL,
    expires_at   BIGINT        NOT NULL,
    revoked_at   BIGINT,
    uses         INT           NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_invites_token UNIQUE (token_hash),
    CONSTRAINT fk_invites_room FOREIGN KEY (room_id) REFERENCES rooms (id) ON DELETE CASCADE
) ${table_options};
CREATE INDEX idx_invites_room ON invites (room_id, kind);
CREATE INDEX idx_invites_target ON invites (target_user);

CREATE TABLE invite_redemptions (
    invite_id    VARCHAR(64)   NOT NULL,
    user_id      VARCHAR(128)  NOT NULL,
    redeemed_at  BIGINT        NOT NULL,
    PRIMARY KEY (invite_id, user_id),
    CONSTRAINT fk_redemptions_invite FOREIGN KEY (invite_id) REFERENCES invites (id) ON DELETE CASCADE
) ${table_options};
