-- Experience owed to a character, durable before anyone is told of it (issue
-- 13): a quest turned in inserts its row in the same transaction that stores
-- the turn-in, numbered per character (seq 1, 2, ...). The row is paid to the
-- character's cell as a REWARD carrying its seq; characters.reward_seq is the
-- highest seq the saved experience already includes, written with that
-- experience in one statement. A row above reward_seq is paid (again) when the
-- character next enters the world; one at or below it is only cleanup, and
-- goes with the save that moved reward_seq past it.
--
-- key: one per turn-in, so a transaction retried after its COMMIT was in fact
-- applied (the reply lost) finds its row instead of adding a second.
ALTER TABLE characters ADD COLUMN reward_seq bigint NOT NULL DEFAULT 0;
ALTER TABLE characters ADD CONSTRAINT characters_reward_seq_nonnegative CHECK (reward_seq >= 0);

CREATE TABLE experience_owed (
  character_id integer     NOT NULL REFERENCES characters (id) ON DELETE CASCADE,
  seq          bigint      NOT NULL CHECK (seq > 0),
  amount       bigint      NOT NULL CHECK (amount > 0),
  reason       text        NOT NULL,
  key          text        NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (character_id, seq),
  CONSTRAINT experience_owed_key UNIQUE (character_id, key)
);
