-- A member's last display name, so that a persistent room lists its offline members by name (room.joined's
-- memberships). Null until the member is seen with a name. Read with the room's members by the primary key
-- (room_id, user_id); no index of its own.
ALTER TABLE members ADD COLUMN display_name VARCHAR(200);
