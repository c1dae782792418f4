-- Edits, soft deletes and read markers.
--
-- An edit rewrites body and sets edited_at (epoch ms of the latest edit), edited_by (the editor's user id, only when
-- not the sender) and edit_reason. A delete sets deleted_at, deleted_by and delete_reason and wipes body to '':
-- the text is gone from the table, not merely hidden, while id, ts, sender and reply_to stay so replies and
-- cursors still resolve. Edits and deletes find their row by the primary key (room_id, id); no index is added.
ALTER TABLE messages ADD COLUMN edited_at BIGINT;
ALTER TABLE messages ADD COLUMN edited_by VARCHAR(128);
ALTER TABLE messages ADD COLUMN edit_reason VARCHAR(500);
ALTER TABLE messages ADD COLUMN deleted_at BIGINT;
ALTER TABLE messages ADD COLUMN deleted_by VARCHAR(128);
ALTER TABLE messages ADD COLUMN delete_reason VARCHAR(500);

-- One marker per member and room: the id of the newest message the user has read there (it only moves forward).
-- The primary key (room_id, user_id) serves chat.read (find and move one marker) and the LEFT JOIN of room.list,
-- which counts per room the messages with id above the marker; that count is a range scan of the messages
-- primary key (room_id, id > marker), so unread counts need no index of their own. Closing a room drops its
-- markers with it.
CREATE TABLE read_markers (
    room_id     VARCHAR(128) NOT NULL,
    user_id     VARCHAR(128) NOT NULL,
    message_id  BIGINT       NOT NULL,
    PRIMARY KEY (room_id, user_id),
    CONSTRAINT fk_read_markers_room FOREIGN KEY (room_id) REFERENCES rooms (id) ON DELETE CASCADE
) ${table_options};
