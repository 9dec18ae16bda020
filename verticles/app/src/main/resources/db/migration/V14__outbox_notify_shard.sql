-- A commit's notification names the shard of its rows: the payload is the user's
-- hashtext(user_id) & 2147483647, of which each relay takes its own count's remainder, so a relay
-- wakes only for the shards it holds. Once per row; NOTIFY folds a transaction's equal payloads, so
-- a transaction of one user still notifies once.
CREATE OR REPLACE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('taskbus_outbox', (hashtext(NEW.user_id) & 2147483647)::text);
  RETURN NULL;
END $$;

DROP TRIGGER outbox_inserted ON outbox;

CREATE TRIGGER outbox_inserted AFTER INSERT ON outbox
  FOR EACH ROW EXECUTE FUNCTION outbox_notify();

-- A relay reads all the shards it holds with one query, in id order: the primary key serves that
-- read, skipping other shards' rows, where this index would need a sort; it cost every insert. What
-- the planner needs of it is how many rows a shard has (else it guesses 0.5 % and, for one shard of
-- a backlog, sorts the whole outbox on every batch): statistics on the expression tell it, at no
-- cost to inserts.
DROP INDEX outbox_shard_16;
CREATE STATISTICS outbox_shard_16 ON ((hashtext(user_id) & 2147483647) % 16) FROM outbox;
