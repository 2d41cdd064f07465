-- Quests: one row per quest a character has taken (by its content id, which
-- stays stable across content builds) and one row per objective counter of
-- an active quest. 003's quest_progress was never written; it goes.
DROP TABLE quest_progress;

CREATE TABLE character_quests (
  character_id integer     NOT NULL REFERENCES characters (id) ON DELETE CASCADE,
  quest        text        NOT NULL CHECK (length(quest) BETWEEN 1 AND 64),
  done         boolean     NOT NULL,
  completions  integer     NOT NULL DEFAULT 0 CHECK (completions >= 0),
  completed_at timestamptz,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (character_id, quest)
);

CREATE TABLE quest_objectives (
  character_id integer  NOT NULL,
  quest        text     NOT NULL,
  objective    smallint NOT NULL CHECK (objective BETWEEN 0 AND 7),
  count        integer  NOT NULL CHECK (count >= 0),
  PRIMARY KEY (character_id, quest, objective),
  FOREIGN KEY (character_id, quest) REFERENCES character_quests (character_id, quest) ON DELETE CASCADE
);
