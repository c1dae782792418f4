-- Persistent rooms: a room named by its owner, its members with their roles, and its chat.
-- ${table_options} is the MySQL/MariaDB table clause (InnoDB, utf8mb4 with a binary collation, so emoji and
-- every other character round-trip and ids compare byte for byte); it is empty on H2, whose strings are Unicode.

CREATE TABLE rooms (
    id          VARCHAR(128)  NOT NULL,
    name        VARCHAR(200)  NOT NULL,
    relay_only  BOOLEAN       NOT NULL,
    created_by  VARCHAR(128)  NOT NULL,
    created_at  BIGINT        NOT NULL,
    PRIMARY KEY (id)
) ${table_options};

-- A membership outlives presence. The primary key answers "is user U a member of room R" and a room's member
-- list; idx_members_user answers room.list (every room of one user) without scanning all rooms.
CREATE TABLE members (
    room_id  VARCHAR(128) NOT NULL,
    user_id  VARCHAR(128) NOT NULL,
    role     VARCHAR(32)  NOT NULL,
    PRIMARY KEY (room_id, user_id),
    CONSTRAINT fk_members_room FOREIGN KEY (room_id) REFERENCES rooms (id) ON DELETE CASCADE
) ${table_options};
CREATE INDEX idx_members_user ON members (user_id);

-- One row per chat message; ids are assigned by the store, increasing per room. The primary key (room_id, id)
-- serves history pages (WHERE room_id = ? AND id < ? ORDER BY id DESC LIMIT ?) and the reply-to check.
-- uq_messages_client makes a send idempotent across restarts: the same user's client message id is stored once
-- per room, and a retry finds the original through it.
CREATE TABLE messages (
    room_id         VARCHAR(128) NOT NULL,
    id              BIGINT       NOT NULL,
    ts              BIGINT       NOT NULL,
    member_id       VARCHAR(128) NOT NULL,
    user_id         VARCHAR(128) NOT NULL,
    user_name       VARCHAR(200),
    body            MEDIUMTEXT   NOT NULL,
    reply_to        BIGINT,
    client_msg_id   VARCHAR(128),
    PRIMARY KEY (room_id, id),
    CONSTRAINT uq_messages_client UNIQUE (room_id, user_id, client_msg_id)
) ${table_options};
