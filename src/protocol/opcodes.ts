/**
 * Wire protocol version; the handshake must carry exactly this. 2: HELLO and
 * WELCOME carry the content hash; ZONE_CHANGE and NOTICE. 3: combat: ACTION;
 * the target, mana and cast fields; a snapshot's events and self sections.
 * 4: WELCOME names the zone; NAMES (the names of other players in view);
 * quests (QUEST, QUEST_LOG, QUEST_RESULT); items (ITEM, INVENTORY); chat:
 * CHAT and a snapshot's chat section;
 * resume after a dropped connection: RESUME and RESUME_TOKEN;
 * close codes KICKED and BANNED, notice ANNOUNCEMENT (the operator console);
 * close codes CHEATING and CHEAT_BANNED, notice CHEAT_WARNING (the anti-cheat).
 */
export const PROTOCOL_VERSION = 4;

/**
 * Client-to-server opcodes (1..63). 0 is reserved as the bad opcode.
 * Layouts are little-endian; str8 is a u8 byte length then UTF-8 bytes.
 */
export const ClientOp = {
  /** u8 op | u16 version | u8 auth (AuthKind) | str8 name-or-token | u32 characterId | str8 contentHash ('' = none) */
  HELLO: 1,
  /** u8 op | u32 seq | u32 ackTick | u8 move (MoveKind) | dir: i8 dx, i8 dy | dest: u16 x, u16 y */
  INPUT: 2,
  /** u8 op | u32 ackTick */
  ACK: 3,
  /** u8 op | f64 clientTime */
  PING: 4,
  /**
   * u8 op | u16 seq | u8 kind (ActionKind) | u32 target | u16 skill | u16 x | u16 y:
   * select a target, auto-attack, use a skill, respawn (combat-codes.ts). x, y:
   * a point skill's point, quantised as positions (0 otherwise).
   */
  ACTION: 5,
  /**
   * u8 op | u16 seq | u8 itemOp (ItemOp) | f64 item | u32 version | f64 other | u32 otherVersion | u16 slot | u32 count:
   * pick up, use, equip, unequip, move, split, drop, destroy, merge (item-messages.ts).
   */
  ITEM: 6,
  /**
   * u8 op | u8 channel (ChatChannel: SAY, ZONE or WHISPER) | str8 target | str8 text:
   * a chat message (chat-codes.ts). `target` is the character name of a
   * WHISPER (1..maxNameBytes bytes) and empty otherwise; `text` at most
   * maxChatTextBytes. Lines come back in the snapshot's chat section.
   */
  CHAT: 9,
  /**
   * u8 op | u16 version | str8 token (≤ maxTokenBytes) | str8 contentHash: instead of
   * HELLO, after a dropped connection: take back the character that the
   * server's RESUME_TOKEN `token` names, while its grace lasts (RESUME_REFUSED otherwise).
   */
  RESUME: 11,
  /** u8 op | u8 action | u16 quest | u32 npc: accept, abandon, turn in a quest, or speak with an NPC (quest-messages.ts). */
  QUEST: 14,
} as const;
export type ClientOpValue = (typeof ClientOp)[keyof typeof ClientOp];

/** Server-to-client opcodes (64..127). */
export const ServerOp = {
  /** u8 op | u16 version | u32 entity | u16 zoneId | u8 tickHz | u16 mapWidth | u16 mapHeight | u16 aoiTile | f64 serverTime | str8 contentHash | str8 zoneName */
  WELCOME: 64,
  /**
   * u8 op | u32 tick | u32 baseTick | u32 lastInputSeq | u32 you
   * | u16 n, n × enter | u16 n, n × update | u16 n, n × leave
   * | u16 n, n × event | u8 present [self record]
   * (record layouts in snapshot-codec.ts, snapshot-events.ts, self-state.ts)
   */
  SNAPSHOT: 65,
  /** u8 op | f64 clientTime | f64 serverTime */
  PONG: 66,
  /** u8 op | u16 code (ErrorCode) | str8 message */
  ERROR: 67,
  /**
   * u8 op | u32 entity | u16 zoneId | u8 tickHz | u16 mapWidth | u16 mapHeight | u16 aoiTile
   * | str8 zoneName | str8 contentHash: the player is now in another zone (a new
   * entity, tick numbers of that zone); the next snapshot is a full one.
   */
  ZONE_CHANGE: 68,
  /** u8 op | u16 code (NoticeCode) | str8 message: told, not fatal (the connection stays). */
  NOTICE: 69,
  /**
   * u8 op | u8 full | f64 gold | u16 n × item | u16 m × f64 removed | u16 k × (u16 seq | u8 reason):
   * the player's own bag, equipment and gold, and the answers to its ITEMs (item-messages.ts).
   */
  INVENTORY: 70,
  /**
   * u8 op | str8 token | u32 graceMs: after WELCOME, the single-use token a
   * client sends in RESUME to take its character back after a dropped
   * connection, within graceMs of the drop. Each WELCOME brings a new one.
   */
  RESUME_TOKEN: 76,
  /**
   * u8 op | u8 n (1..maxNamesPerMessage) | n × (u32 entity | str8 name): the
   * names of player entities about to enter the view, sent just before the
   * snapshot whose enter records bring them (once per entity and name per
   * zone; the gate sends it, the cells never see names).
   */
  NAMES: 78,
  /** u8 op | u8 full | u16 n × quest entry: the player's quest log, whole or what changed (quest-messages.ts). */
  QUEST_LOG: 80,
  /** u8 op | u8 action | u16 quest | u8 reason: the answer to a QUEST (quest-messages.ts). */
  QUEST_RESULT: 81,
} as const;
export type ServerOpValue = (typeof ServerOp)[keyof typeof ServerOp];

export const AuthKind = { GUEST: 0, TOKEN: 1 } as const;
export const MoveKind = { STOP: 0, DIRECTION: 1, DESTINATION: 2 } as const;

/** Limits that are part of the protocol. */
export const Limits = {
  /** Largest client frame; ws closes bigger ones with 1009. */
  maxClientFrame: 256,
  /** Largest server frame (a full snapshot of maxViewEntities, its events and the player's own state). */
  maxServerFrame: 16384,
  /** Entities in one snapshot; the nearest are kept past this. */
  maxViewEntities: 256,
  /** Events in one snapshot's events section; the viewer's own come first. */
  maxSnapshotEvents: 64,
  /** Skills and auras in the player's self record. */
  maxSelfSkills: 64,
  maxSelfAuras: 16,
  maxNameBytes: 24,
  /** A player's name in NAMES, UTF-8 bytes (a character name is at most 16 characters). */
  maxPlayerNameBytes: 64,
  /** Entries in one NAMES message. */
  maxNamesPerMessage: 128,
  maxTokenBytes: 128,
  /** A resume token (RESUME_TOKEN, RESUME), UTF-8 bytes: the server's are 43 (32 random bytes, base64url). */
  maxResumeTokenBytes: 64,
  /** Zone name in WELCOME and ZONE_CHANGE, UTF-8 bytes. */
  maxZoneNameBytes: 32,
  /** Content hash in HELLO, WELCOME and ZONE_CHANGE, UTF-8 bytes (the loader's is 32 hex digits). */
  maxContentHashBytes: 64,
  /** Text of a chat message or line, UTF-8 bytes (the server's own limit, CHAT_MAX_BYTES, may be lower). */
  maxChatTextBytes: 224,
  /** Chat lines in each of a snapshot's two chat runs (heard around the player; routed by the coordinator). */
  maxChatLinesPerRun: 8,
  /**
   * Client messages per second a client may always send, sustained: the
   * default of the server's GATE_MSG_RATE (which also allows a burst, and
   * closes a connection past it with RATE_LIMITED).
   */
  maxClientMessagesPerSecond: 120,
  /** Positions travel as u16 in 1/POSITION_SCALE units. */
  positionScale: 16,
  /**
   * Farthest a DESTINATION may lie from the player, in tiles: past it (or
   * off the map) the server stops the player instead and counts an
   * anti-cheat violation. A client sends one where the player clicks, on
   * what it shows: at its smallest zoom half a 4K screen's diagonal is
   * about 140 tiles.
   */
  maxDestinationDistance: 256,
} as const;
