/**
 * Configuration from environment variables, validated at start through the
 * one environment reader (env.ts: its syntax and range rules, ConfigError
 * naming the variable). Knobs operators rarely touch are in tuning.ts.
 */
import { EnvReader, quote, type ConfigVar, type Env } from './env.ts';
import { NET_CONFIG_VARS, readNetConfig, type NetConfig } from './net-config.ts';
import { CHAT_CONFIG_VARS, readChatConfig, type ChatConfig } from './chat-config.ts';
import { ANTICHEAT_CONFIG_VARS, readAnticheatConfig, type AnticheatConfig } from './anticheat-config.ts';
import { readSupervisorConfig, SUPERVISOR_CONFIG_VARS, type SupervisorConfig } from './supervisor-config.ts';
import { MEMORY_CONFIG_VARS, readMemoryConfig, type MemoryConfig } from './memory-config.ts';
import { FAULT_HOOK_VARS, readFaultHooksFlag, readHoldRewardsFlag } from './fault-config.ts';

export type { ConfigVar };

/** pino's levels, the values LOG_LEVEL accepts. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

export interface Config extends NetConfig {
  host: string;
  port: number;
  metricsPort: number | undefined;
  tickHz: number;
  /** Snapshot rate (SEND_HZ), at most tickHz: a player gets a frame every round(tickHz / sendHz) ticks. */
  sendHz: number;
  /**
   * Every zone this server runs; guests enter the first. When
   * `zonesFromContent` is set these are only the fallback for a content
   * folder without world.json: the compiled world's zones replace them.
   */
  zones: ZoneConfig[];
  /** No zone variable (ZONES, ZONE_*, NPC_COUNT, MAP_FILE, MAP_DIR) is set: the zones come from the content's world.json. */
  zonesFromContent: boolean;
  /** Content sources (world.json, content JSON, maps): CONTENT_DIR. */
  contentDir: string;
  /** The compiled content (npm run content): CONTENT_BUILD_DIR. */
  contentBuildDir: string;
  /** The browser client's build served at /client/: CLIENT_BUILD_DIR. */
  clientBuildDir: string;
  aoiTile: number;
  mapDir: string | undefined;
  /** Entity slots per zone. */
  zoneCapacity: number;
  maxPlayers: number;
  allowGuests: boolean;
  spawnSpread: number;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  handshakeTimeoutMs: number;
  idleTimeoutMs: number;
  heartbeatMs: number;
  sendBufferLimitBytes: number;
  slowClientKickMs: number;
  /** How long a dropped connection's character stays in the world for a resume; 0: none (it leaves at once). */
  resumeGraceMs: number;
  logLevel: string;
  /** Chat's limits (CHAT_*). */
  chat: ChatConfig;
  /** The anti-cheat's warn, kick and ban thresholds (ANTICHEAT_*). */
  anticheat: AnticheatConfig;
  /** When a silent cell is stuck, and when it is terminated (CELL_STUCK_MS, CELL_STALL_KILL_MS). */
  supervisor: SupervisorConfig;
  /** The spare cell thread, the cell threads' young generation, the rings' sizes (CELL_SPARE, CELL_YOUNG_GENERATION_MB, RING_FRAME_BYTES, CELL_TO_GATE_RING_KB). */
  memory: MemoryConfig;
  /** Test-only fault injection over the IPC channel (TESSERA_FAULT_HOOKS, honoured only with NODE_ENV=test; faults/). */
  faultHooks: boolean;
  /** Test only: stored quest rewards are never sent to the cells (TESSERA_HOLD_REWARDS, honoured only with NODE_ENV=test; gate/owed-rewards.ts). */
  holdRewards: boolean;
}

export interface ZoneConfig {
  name: string;
  width: number;
  height: number;
  cellCols: number;
  cellRows: number;
  npcCount: number;
  /** Map that must load (MAP_FILE: Tiled .tmx/.tmj); otherwise MAP_DIR/NAME.{tmx,tmj} if present, else generated from mapSeed. */
  mapFile: string | undefined;
  mapSeed: number;
  /**
   * NPC_TEMPLATE: a generated map's NPCs are this content template, in spawn
   * areas over the map (fighting NPCs for the fight benchmark); undefined:
   * generic wanderers.
   */
  npcTemplate: string | undefined;
}

export const CONFIG_VARS: ConfigVar[] = [
  { name: 'HOST', default: '127.0.0.1', doc: 'Address the HTTP server (API, /play gate, /metrics) listens on.' },
  { name: 'PORT', default: '8080', doc: 'Port of the HTTP server; 0 picks a free one (logged at start).' },
  { name: 'METRICS_PORT', default: '(unset)', doc: 'Serve /metrics on this port instead of PORT.' },
  { name: 'TICK_HZ', default: '20', doc: 'Simulation rate of every cell, 1..60.' },
  { name: 'SEND_HZ', default: '20 (TICK_HZ when lower)', doc: 'Snapshot rate per player, 1..TICK_HZ: a player gets a frame every round(TICK_HZ / SEND_HZ) ticks, the players staggered over those ticks; each frame carries the events and say lines of every tick since the previous one. A client whose acks lag gets frames less often (up to 4× apart), never bigger ones.' },
  { name: 'CONTENT_DIR', default: './data', doc: 'Content sources: world.json, the content JSON files and the Tiled maps (docs/content.md). `npm start` compiles them into CONTENT_BUILD_DIR when the build is stale.' },
  { name: 'CONTENT_BUILD_DIR', default: './build/content', doc: 'The compiled content (`npm run content`): zone and content packs, the client\'s maps served at /content/.' },
  { name: 'CLIENT_BUILD_DIR', default: './build/client', doc: 'The browser client\'s build (`npm run client:build`), served at /client/. `npm start` builds it when it is missing or older than its sources (web/client, src/protocol).' },
  { name: 'ZONES', default: '(unset: the zones of CONTENT_DIR/world.json)', doc: 'Run these zones instead of the content\'s (tests, benchmarks); the content\'s NPC templates still load. Several zones: comma-separated NAME:WIDTHxHEIGHT:COLSxROWS[:NPCS], e.g. meadow:256x256:2x1:100,crypt:128x128:1x1. Replaces ZONE_NAME, ZONE_WIDTH, ZONE_HEIGHT, ZONE_CELLS, NPC_COUNT and MAP_FILE.' },
  { name: 'ZONE_NAME', default: 'meadow', doc: 'One zone of this name instead of the content\'s (so does any ZONE_*, NPC_COUNT, MAP_FILE or MAP_DIR); also the zone run when CONTENT_DIR has no world.json.' },
  { name: 'ZONE_WIDTH', default: '256', doc: 'Zone width in world units (one unit = one map tile), 16..4095.' },
  { name: 'ZONE_HEIGHT', default: '256', doc: 'Zone height in world units, 16..4095.' },
  { name: 'ZONE_CELLS', default: '2x1', doc: 'Cell grid COLSxROWS; each cell is one worker thread.' },
  { name: 'AOI_TILE', default: '16', doc: 'Edge of an area-of-interest tile; a player sees the 3x3 tiles around it.' },
  { name: 'ZONE_CAPACITY', default: '16384', doc: 'Entity slots of the zone (players + NPCs).' },
  { name: 'NPC_COUNT', default: '100', doc: 'Wandering NPCs spawned at start, spread over the cells.' },
  { name: 'NPC_TEMPLATE', default: '(unset: generic wanderers)', doc: 'A generated map\'s NPC_COUNT NPCs are this content NPC template (e.g. npc.boar), in spawn areas of 64×64 tiles over the whole map, with its AI and combat (the fight load benchmark); the content must have it.' },
  { name: 'MAP_FILE', default: '(generated)', doc: 'Map of the zone, drawn in Tiled (.tmx or .tmj: its collision, spawn points and objects, docs/content.md); unset generates one of the zone size.' },
  { name: 'MAP_DIR', default: '(unset)', doc: 'Folder of maps named NAME.tmx or NAME.tmj, one per zone; a zone without a file gets a generated map.' },
  { name: 'MAP_SEED', default: '1', doc: 'Seed of the generated maps (each zone adds its index).' },
  { name: 'MAX_PLAYERS', default: '5000', doc: 'Connections admitted at once; more get close code 4006.' },
  { name: 'ALLOW_GUESTS', default: 'on without DATABASE_URL', doc: 'Admit players by name without an account (1/0, true/false, on/off).' },
  { name: 'SPAWN_SPREAD', default: '8', doc: 'Guests spawn uniformly within this many units of the map spawn.' },
  { name: 'DATA_DIR', default: './.data', doc: 'Folder of the embedded database and checkpoints.' },
  { name: 'DATABASE_URL', default: '(unset: embedded PGlite)', doc: 'PostgreSQL connection string.' },
  { name: 'REDIS_URL', default: '(unset: in process)', doc: 'Redis for sessions and hot-state checkpoints.' },
  { name: 'HANDSHAKE_TIMEOUT_MS', default: '5000', doc: 'Close a connection (4002) that has not said HELLO by then.' },
  { name: 'IDLE_TIMEOUT_MS', default: '30000', doc: 'Close a connection (4003) silent for this long.' },
  { name: 'HEARTBEAT_MS', default: '10000', doc: 'WebSocket ping interval.' },
  { name: 'SEND_BUFFER_LIMIT_BYTES', default: '262144', doc: 'Past this many unsent bytes a client gets snapshots skipped (events still go).' },
  { name: 'SLOW_CLIENT_KICK_MS', default: '5000', doc: 'A client over the send-buffer limit this long is closed (4005).' },
  { name: 'RESUME_GRACE_MS', default: '30000', doc: 'A dropped connection (not a logout or a kick) keeps its character in the world this long, safe areas included, for the client to resume with its resume or session token; then it is saved and leaves. 0 disables resuming. 0..3600000.' },
  { name: 'LOG_LEVEL', default: 'info', doc: 'pino level: trace, debug, info, warn, error, fatal, silent.' },
  ...NET_CONFIG_VARS,
  ...CHAT_CONFIG_VARS,
  ...ANTICHEAT_CONFIG_VARS,
  ...SUPERVISOR_CONFIG_VARS,
  ...MEMORY_CONFIG_VARS,
  ...FAULT_HOOK_VARS,
];

/** Setting any of these runs configured zones instead of the content's world. */
const ZONE_VARS = ['ZONES', 'ZONE_NAME', 'ZONE_WIDTH', 'ZONE_HEIGHT', 'ZONE_CELLS', 'NPC_COUNT', 'NPC_TEMPLATE', 'MAP_FILE', 'MAP_DIR'] as const;

const ZONE_ENTRY = /^([a-z][a-z0-9_-]{0,31}):(\d{1,4})x(\d{1,4}):(\d{1,2})x(\d{1,2})(?::(\d{1,6}))?$/;

/** Zones from ZONES, or the single zone of ZONE_* (not both). */
function readZones(r: EnvReader, aoiTile: number, mapSeed: number): ZoneConfig[] {
  const list = r.raw('ZONES');
  const zones: ZoneConfig[] = [];
  const npcTemplate = r.raw('NPC_TEMPLATE') === undefined ? undefined : r.str('NPC_TEMPLATE', '', /^npc\.[a-z0-9_.-]{1,60}$/, 'a content NPC id such as npc.boar');
  if (list !== undefined) {
    const single = ['ZONE_NAME', 'ZONE_WIDTH', 'ZONE_HEIGHT', 'ZONE_CELLS', 'NPC_COUNT', 'MAP_FILE'].filter((k) => r.raw(k) !== undefined);
    if (single.length > 0) r.problem(`set either ZONES or ${single.join(', ')}, not both`);
    const entries = list.split(',').map((e) => e.trim());
    if (entries.length > 64) r.problem(`ZONES lists ${entries.length} zones; at most 64`);
    for (const [i, entry] of entries.slice(0, 64).entries()) {
      const m = ZONE_ENTRY.exec(entry);
      if (!m) {
        r.problem(`ZONES entry ${i + 1} must be NAME:WIDTHxHEIGHT:COLSxROWS[:NPCS], got ${quote(entry)}`);
        continue;
      }
      zones.push({
        name: m[1],
        width: Number(m[2]),
        height: Number(m[3]),
        cellCols: Number(m[4]),
        cellRows: Number(m[5]),
        npcCount: m[6] === undefined ? 0 : Number(m[6]),
        npcTemplate,
        mapFile: undefined,
        mapSeed: mapSeed + i,
      });
    }
    const names = zones.map((z) => z.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) r.problem(`ZONES names zone "${dup}" twice`);
  } else {
    const cells = r.str('ZONE_CELLS', '2x1', /^\d{1,2}x\d{1,2}$/, 'COLSxROWS, e.g. 2x1');
    const [cellCols, cellRows] = cells.split('x').map(Number);
    const name = r.str('ZONE_NAME', 'meadow', /^[a-z][a-z0-9_-]{0,31}$/, 'lowercase letters, digits, _ or -, up to 32');
    zones.push({
      name,
      width: r.int('ZONE_WIDTH', 256, 16, 4095),
      height: r.int('ZONE_HEIGHT', 256, 16, 4095),
      cellCols,
      cellRows,
      npcCount: r.int('NPC_COUNT', 100, 0, 100_000),
      mapFile: r.raw('MAP_FILE'),
      mapSeed,
      npcTemplate,
    });
  }
  for (const z of zones) {
    const where = list !== undefined ? `ZONES zone ${z.name}` : 'ZONE_CELLS';
    if (z.width < 16 || z.height < 16 || z.width > 4095 || z.height > 4095) {
      r.problem(`${list !== undefined ? `ZONES zone ${z.name}` : 'ZONE_WIDTH/ZONE_HEIGHT'}: size ${z.width}x${z.height} out of 16..4095`);
    }
    if (z.cellCols < 1 || z.cellRows < 1) r.problem(`${where} must have at least one column and row, got ${z.cellCols}x${z.cellRows}`);
    const tilesX = Math.ceil(z.width / aoiTile);
    const tilesY = Math.ceil(z.height / aoiTile);
    if (z.cellCols > tilesX || z.cellRows > tilesY) {
      r.problem(`${where} ${z.cellCols}x${z.cellRows} needs at least that many AOI tiles; the zone size over AOI_TILE gives ${tilesX}x${tilesY}`);
    }
  }
  return zones;
}

/** Reads and validates the configuration; throws ConfigError listing every problem. */
export function loadConfig(env: Env = process.env): Config {
  const r = new EnvReader(env);
  const metricsPort = r.raw('METRICS_PORT') === undefined ? undefined : r.int('METRICS_PORT', 0, 0, 65535);
  const databaseUrl = r.url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const aoiTile = r.int('AOI_TILE', 16, 4, 256);
  const mapSeed = r.int('MAP_SEED', 1, 0, 2 ** 31 - 1);
  const tickHz = r.int('TICK_HZ', 20, 1, 60);
  const maxPlayers = r.int('MAX_PLAYERS', 5000, 1, 1_000_000);
  const cfg: Config = {
    host: r.str('HOST', '127.0.0.1', /^[\w.:-]{1,253}$/, 'a host name or address'),
    port: r.int('PORT', 8080, 0, 65535),
    metricsPort,
    tickHz,
    sendHz: r.raw('SEND_HZ') === undefined ? Math.min(20, tickHz) : r.int('SEND_HZ', 20, 1, 60),
    zones: readZones(r, aoiTile, mapSeed),
    zonesFromContent: ZONE_VARS.every((k) => r.raw(k) === undefined),
    contentDir: r.str('CONTENT_DIR', './data'),
    contentBuildDir: r.str('CONTENT_BUILD_DIR', './build/content'),
    clientBuildDir: r.str('CLIENT_BUILD_DIR', './build/client'),
    aoiTile,
    mapDir: r.raw('MAP_DIR'),
    zoneCapacity: r.int('ZONE_CAPACITY', 16384, 64, 1 << 20),
    maxPlayers,
    allowGuests: r.bool('ALLOW_GUESTS', databaseUrl === undefined),
    spawnSpread: r.int('SPAWN_SPREAD', 8, 0, 8190),
    dataDir: r.str('DATA_DIR', './.data'),
    databaseUrl,
    redisUrl: r.url('REDIS_URL', ['redis:', 'rediss:']),
    handshakeTimeoutMs: r.int('HANDSHAKE_TIMEOUT_MS', 5000, 100, 600_000),
    idleTimeoutMs: r.int('IDLE_TIMEOUT_MS', 30_000, 1000, 3_600_000),
    heartbeatMs: r.int('HEARTBEAT_MS', 10_000, 100, 600_000),
    sendBufferLimitBytes: r.int('SEND_BUFFER_LIMIT_BYTES', 262_144, 1024, 1 << 30),
    slowClientKickMs: r.int('SLOW_CLIENT_KICK_MS', 5000, 100, 600_000),
    resumeGraceMs: r.int('RESUME_GRACE_MS', 30_000, 0, 3_600_000),
    logLevel: r.str('LOG_LEVEL', 'info', new RegExp(`^(${LOG_LEVELS.join('|')})$`), `a pino level (${LOG_LEVELS.join(', ')})`),
    ...readNetConfig(r),
    chat: readChatConfig(r),
    anticheat: readAnticheatConfig(r),
    ...readSupervisorConfig(r),
    ...readMemoryConfig(r, maxPlayers),
    faultHooks: readFaultHooksFlag(r, env),
    holdRewards: readHoldRewardsFlag(r, env),
  };
  for (const z of cfg.zones) {
    if (z.npcCount > cfg.zoneCapacity) r.problem(`zone ${z.name}: ${z.npcCount} NPCs exceed ZONE_CAPACITY (${cfg.zoneCapacity})`);
  }
  if (cfg.sendHz > cfg.tickHz) {
    r.problem(`SEND_HZ (${cfg.sendHz}) must be at most TICK_HZ (${cfg.tickHz}): a cell sends snapshots only on its ticks`);
  }
  if (metricsPort !== undefined && metricsPort !== 0 && metricsPort === cfg.port) {
    r.problem('METRICS_PORT must differ from PORT (unset it to serve /metrics on PORT)');
  }
  r.throwIfProblems();
  return cfg;
}
