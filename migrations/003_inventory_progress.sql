-- Inventory and quest progress, owned by a character. Later issues (items,
-- quests) fill them; an item moving between characters is one transaction
-- over these rows.
CREATE TABLE inventory_items (
  character_id integer  NOT NULL REFERENCES characters (id) ON DELETE CASCADE,
  slot         smallint NOT NULL,
  item_id      integer  NOT NULL,
  quantity     integer  NOT NULL DEFAULT 1 CHECK (quantity > 0),
  data         jsonb    NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (character_id, slot)
);

CREATE TABLE quest_progress (
  character_id integer     NOT NULL REFERENCES characters (id) ON DELETE CASCADE,
  quest_id     integer     NOT NULL,
  state        text        NOT NULL DEFAULT 'active',
  data         jsonb       NOT NULL DEFAULT '{}'::jsonb,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (character_id, quest_id)
);
