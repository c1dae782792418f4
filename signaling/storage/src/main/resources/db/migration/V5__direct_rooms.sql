-- Direct rooms: the kept room of exactly two users, whose id follows from the pair (DirectRoomId), so that finding
-- and creating it are one insert the primary key keeps single. A direct room has no name ('' in the NOT NULL
-- column); room.list shows the other member instead. Found by id like every room: no index of its own.
ALTER TABLE rooms ADD COLUMN direct BOOLEAN NOT NULL DEFAULT FALSE;
