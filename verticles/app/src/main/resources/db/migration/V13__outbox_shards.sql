-- The relay drains the outbox in shards by user: a shard's rows are those with
-- (hashtext(user_id) & 2147483647) % relay.shards = shard, read in id order. This index makes that
-- read a range scan for the default 16 shards; another count needs its own index (README,
-- "Running several processes"), without which the read scans the outbox in id order instead.
CREATE INDEX outbox_shard_16 ON outbox (((hashtext(user_id) & 2147483647) % 16), id);
