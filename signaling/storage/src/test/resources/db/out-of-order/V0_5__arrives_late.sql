-- A migration below the applied version: what a branch merged late would ship. MigrationPathTest expects the
-- start to refuse it (out of order) rather than apply it.
CREATE TABLE arrives_late (id INT NOT NULL);
