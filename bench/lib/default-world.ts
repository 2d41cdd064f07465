/**
 * The load bench on the content's own world (`--world default`): where the
 * bots' characters start, and the bench-only server environment that lets
 * a sweep of thousands of account bots register and log in from one
 * machine. Nothing here changes a server default: every override is an
 * existing variable, set for the bench's child process only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWorldFile, WORLD_FILE } from '../../src/content/schema/world.ts';
import type { BookZone, WorldBook } from '../../src/bots/world-book.ts';
import type { Behavior } from '../../src/bots/options.ts';

/** Where new characters start: the server's SPAWN (zone:x:y). */
export interface StartSpot {
  zone: string;
  x: number;
  y: number;
}

/** The zone world.json names as the start (where guests and the content's own players begin). */
export function worldStart(content: string): string {
  const parsed = parseWorldFile(readFileSync(join(content, WORLD_FILE), 'utf8'));
  if (!parsed.ok) throw new Error(`${content}/${WORLD_FILE}: ${parsed.errors[0].path}: ${parsed.errors[0].message}`);
  return parsed.world.start;
}

/**
 * The zone characters start in when `--start` is not given: questers begin
 * where the world says (their quest givers are there, and the walk out to
 * the hunting grounds is part of questing); fighters, mixed bots and
 * wanderers begin in the first zone with NPC spawn areas, so fights start
 * without a walk through the town gate (a fight bot only roams: it does not
 * look for a portal).
 */
export function startZoneFor(behavior: Behavior, book: WorldBook, worldStartZone: string): string {
  if (behavior === 'quest') return worldStartZone;
  return book.zones.find((z) => z.spawnAreas.length > 0)?.name ?? worldStartZone;
}

/**
 * The walkable tile nearest the zone's centre (where a guest would appear),
 * searched in growing squares; its centre point. Every character starts on
 * this one spot (the server has one SPAWN): the crowd spreads as the bots
 * roam, quest and fight.
 */
export function startSpot(zone: BookZone): StartSpot {
  const cx = Math.floor(zone.width / 2);
  const cy = Math.floor(zone.height / 2);
  const free = (x: number, y: number): boolean => x >= 1 && y >= 1 && x < zone.width - 1 && y < zone.height - 1 && zone.tiles[y * zone.width + x] === 0;
  const maxR = Math.max(zone.width, zone.height);
  for (let r = 0; r <= maxR; r++) {
    for (let dy = -r; dy <= r; dy++) {
      for (let dx = -r; dx <= r; dx++) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) !== r) continue;
        if (free(cx + dx, cy + dy)) return { zone: zone.name, x: cx + dx + 0.5, y: cy + dy + 0.5 };
      }
    }
  }
  throw new Error(`zone ${zone.name} has no walkable tile`);
}

/** Picks the start zone (given, or by behaviour) and its spot; throws naming the zones when `start` is not one. */
export function chooseStart(behavior: Behavior, book: WorldBook, worldStartZone: string, start: string | null): StartSpot {
  const name = start ?? startZoneFor(behavior, book, worldStartZone);
  const zone = book.zones.find((z) => z.name === name);
  if (!zone) throw new Error(`--start ${name}: the world has zones ${book.zones.map((z) => z.name).join(', ')}`);
  return startSpot(zone);
}

/**
 * The server's environment for a default-world sweep: the content folder
 * (compiled into a throwaway build folder), no guests (items and quest
 * progress are kept for characters only), and the account API's per-address
 * limits lifted for this run, as the soak does: every bot registers and logs
 * in from 127.0.0.1, so REGISTER_LIMIT_PER_IP (20 an hour) and
 * LOGIN_LIMIT_PER_IP (30 per 5 min) would stop the sweep at a few dozen.
 * scrypt runs at the cheapest cost the server accepts (SCRYPT_LOG2N=10, a
 * few ms a hash instead of 50–100 at 15): logins happen during each step's
 * ramp, not in its window, and are what `npm run bench:login` measures.
 */
export function defaultWorldEnv(content: string, buildDir: string, spot: StartSpot, maxPlayers: number): Record<string, string> {
  return {
    CONTENT_DIR: content,
    CONTENT_BUILD_DIR: buildDir,
    ALLOW_GUESTS: '0',
    SPAWN: `${spot.zone}:${spot.x}:${spot.y}`,
    REGISTER_LIMIT_PER_IP: '1000000',
    LOGIN_LIMIT_PER_IP: '1000000',
    SCRYPT_LOG2N: '10',
    // A burst of a step's registrations waits for the hashing threads rather than getting 503s.
    HASH_MAX_QUEUE: String(Math.max(2000, 2 * maxPlayers)),
  };
}
