import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { log } from '../log.ts';
import type { WorldState } from '../gate/world.ts';
import type { RedisHealth } from './redis-health.ts';

/** A character's live state: the gate's WorldState. */
export type CharacterState = WorldState;

/** A character's live state and when (coordinator clock, ms) it was live. */
export interface Checkpoint extends CharacterState {
  at: number;
}

/**
 * Hot-state checkpoints for crash recovery: the latest live state of every
 * online character, written about once a second, read back at login and at
 * start. Two homes: Redis (survives the process), or a file in DATA_DIR
 * (survives a kill -9 of the process, because the file is replaced
 * atomically with rename and the OS keeps what was written).
 */
export interface CheckpointStore {
  readonly kind: 'redis' | 'file';
  /** Stores these checkpoints (replacing older ones of the same characters). */
  put(entries: ReadonlyMap<number, Checkpoint>): Promise<void>;
  get(characterId: number): Promise<Checkpoint | undefined>;
  /** Every stored checkpoint (used once at start to recover a crash). */
  all(): Promise<Map<number, Checkpoint>>;
  /** Drops checkpoints that a landed save has made redundant. */
  remove(characterIds: readonly number[]): Promise<void>;
  close(): Promise<void>;
}

/** Parses a stored checkpoint; anything malformed is treated as absent. */
export function parseCheckpoint(raw: unknown): Checkpoint | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const c = raw as Record<string, unknown>;
  const { zone, x, y, hp, at, level, xp, rewardSeq } = c;
  if (typeof zone !== 'string' || typeof x !== 'number' || typeof y !== 'number') return undefined;
  if (typeof hp !== 'number' || typeof at !== 'number') return undefined;
  if (![x, y, hp, at].every(Number.isFinite)) return undefined;
  const out: Checkpoint = { zone, x, y, hp, at };
  // Level and experience came with combat: an older checkpoint has none.
  if (typeof level === 'number' && Number.isInteger(level) && level >= 1) out.level = level;
  if (typeof xp === 'number' && Number.isInteger(xp) && xp >= 0) out.xp = xp;
  // Stored rewards came later still; one that is not a u32 (REWARD's seq) is left out, as if older.
  if (out.xp !== undefined && typeof rewardSeq === 'number' && Number.isInteger(rewardSeq) && rewardSeq >= 0 && rewardSeq <= 0xffffffff) out.rewardSeq = rewardSeq;
  return out;
}

const FILE_NAME = 'checkpoints.json';

/** Checkpoints in `${dir}/checkpoints.json`, one JSON object keyed by character id. */
export function openFileCheckpoints(dir: string): CheckpointStore {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, FILE_NAME);
  const tmp = `${path}.tmp`;
  const map = new Map<number, Checkpoint>();
  /** Each entry's JSON, made when it is put: a write joins them instead of encoding every character again. */
  const json = new Map<number, string>();
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    for (const [k, v] of Object.entries(parsed)) {
      const c = parseCheckpoint(v);
      if (c && Number.isInteger(Number(k))) {
        map.set(Number(k), c);
        json.set(Number(k), JSON.stringify(c));
      }
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      // Kept aside, not overwritten by the next write, so an operator can look.
      const aside = `${path}.unreadable-${Date.now()}`;
      try {
        renameSync(path, aside);
      } catch {
        // Nothing to keep.
      }
      log.error({ path, aside, err: String(err) }, 'checkpoint file unreadable; starting without it');
    }
  }
  let writing: Promise<void> = Promise.resolve();
  let queued: Promise<void> | undefined;
  // Writes are chained so two never interleave on the temp file; each writes
  // the whole map (tens of kilobytes at a few thousand characters), joined
  // from the entries' JSON. Calls made while a write is waiting share it, so
  // a burst of logouts (or of confirmed experience, checkpoint-rounds.ts)
  // costs one or two writes, not one each.
  const persist = (): Promise<void> => {
    if (queued) return queued;
    const next = writing.then(async () => {
      queued = undefined;
      let body = '{';
      for (const [id, text] of json) body += `${body.length > 1 ? ',' : ''}"${id}":${text}`;
      await writeFile(tmp, `${body}}`);
      renameSync(tmp, path);
    });
    queued = next;
    writing = next.catch(() => undefined);
    return next;
  };
  return {
    kind: 'file',
    async put(entries) {
      for (const [id, c] of entries) {
        map.set(id, c);
        json.set(id, JSON.stringify(c));
      }
      await persist();
    },
    async get(id) {
      return map.get(id);
    },
    async all() {
      return new Map(map);
    },
    async remove(ids) {
      let changed = false;
      for (const id of ids) {
        json.delete(id);
        changed = map.delete(id) || changed;
      }
      if (changed) await persist();
    },
    async close() {
      await writing.catch(() => undefined);
    },
  };
}

/** Keep checkpoints this long in Redis; far longer than any outage we recover from. */
const REDIS_TTL_S = 7 * 24 * 3600;

/** Checkpoints in Redis as `${prefix}ckpt:<id>` JSON strings with a TTL. */
export function openRedisCheckpoints(redis: Redis, prefix: string): CheckpointStore {
  const key = (id: number): string => `${prefix}ckpt:${id}`;
  return {
    kind: 'redis',
    async put(entries) {
      if (entries.size === 0) return;
      const p = redis.pipeline();
      for (const [id, c] of entries) p.set(key(id), JSON.stringify(c), 'EX', REDIS_TTL_S);
      const res = await p.exec();
      const failed = res?.find(([err]) => err);
      if (failed) throw failed[0];
    },
    async get(id) {
      const raw = await redis.get(key(id));
      return raw ? parseCheckpoint(JSON.parse(raw)) : undefined;
    },
    async all() {
      const out = new Map<number, Checkpoint>();
      let cursor = '0';
      // Bounded: SCAN returns cursor 0 after one full pass.
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}ckpt:*`, 'COUNT', 500);
        cursor = next;
        if (keys.length === 0) continue;
        const values = await redis.mget(...keys);
        keys.forEach((k, i) => {
          const raw = values[i];
          const c = raw ? parseCheckpoint(JSON.parse(raw)) : undefined;
          const id = Number(k.slice(`${prefix}ckpt:`.length));
          if (c && Number.isInteger(id)) out.set(id, c);
        });
      } while (cursor !== '0');
      return out;
    },
    async remove(ids) {
      if (ids.length) await redis.del(...ids.map(key));
    },
    async close() {},
  };
}

/**
 * Checkpoints in Redis that fall back to a file in DATA_DIR while Redis is
 * down (so a kill -9 during the outage still leaves the last second's
 * state), and move what the file holds into Redis when it returns. Reads
 * take the newer of the two.
 */
export function openResilientCheckpoints(redis: Redis, prefix: string, fallbackDir: string, health: RedisHealth): CheckpointStore {
  const primary = openRedisCheckpoints(redis, prefix);
  const file = openFileCheckpoints(fallbackDir);
  const newer = (a: Checkpoint | undefined, b: Checkpoint | undefined): Checkpoint | undefined => (!a ? b : !b ? a : a.at >= b.at ? a : b);
  const tryRedis = async <T>(fn: () => Promise<T>): Promise<{ v: T } | undefined> => {
    if (health.isDegraded('checkpoints')) return undefined;
    try {
      return { v: await fn() };
    } catch (err) {
      health.degrade('checkpoints', err);
      return undefined;
    }
  };
  health.onRecover('checkpoints', async () => {
    const kept = await file.all();
    await primary.put(kept);
    // Only what was moved: a newer one the file took meanwhile stays for the next round.
    const moved: number[] = [];
    for (const [id, c] of kept) if ((await file.get(id))?.at === c.at) moved.push(id);
    await file.remove(moved);
    health.restored('checkpoints', { checkpoints: kept.size });
  });
  return {
    kind: 'redis',
    async put(entries) {
      if (await tryRedis(() => primary.put(entries))) return;
      await file.put(entries);
    },
    async get(id) {
      const here = await file.get(id);
      const there = await tryRedis(() => primary.get(id));
      return newer(here, there?.v);
    },
    async all() {
      const out = await file.all();
      const there = await tryRedis(() => primary.all());
      for (const [id, c] of there?.v ?? []) out.set(id, newer(out.get(id), c)!);
      return out;
    },
    async remove(ids) {
      await file.remove(ids);
      await tryRedis(() => primary.remove(ids));
    },
    async close() {
      await file.close();
    },
  };
}
