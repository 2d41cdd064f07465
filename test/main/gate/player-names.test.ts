/**
 * Players' names (ServerOp NAMES): the gate reads the enter records of the
 * snapshots it sends and tells each client the names of the players coming
 * into view, once, just before the snapshot that brings them. Unit tests
 * over real encoded snapshots (and hostile ones), and end to end: two real
 * WebSocket clients on a real server see each other's names.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_SENT_NAMES, PlayerNames, playerEnters } from '../../../src/main/gate/player-names.ts';
import { decodeServerMessage } from '../../../src/protocol/decode.ts';
import { Limits } from '../../../src/protocol/opcodes.ts';
import { encodeSnapshot } from '../../../src/protocol/snapshot-codec.ts';
import { Writer } from '../../../src/protocol/writer.ts';
import { EntityKind } from '../../../src/shared/layout.ts';
import { TestClient } from '../../helpers/client.ts';
import { startTestServer } from '../../helpers/server.ts';
import { row, tableOf, type Row } from '../../protocol/arbitraries.ts';
import type { Tessera } from '../../../src/main/start-tessera.ts';

/** A SNAPSHOT frame of `rows` against `base` (full when null), as the cells encode one. */
function frame(rows: Row[], you: number, base: Row[] | null = null, tick = 10): Uint8Array {
  const buf = new Uint8Array(Limits.maxServerFrame);
  const w = new Writer().reset(buf);
  encodeSnapshot(w, tick, base ? tableOf(base, tick - 1) : null, tableOf(rows, tick), 0, you);
  return buf.slice(0, w.length);
}

const player = (id: number, x = 10): Row => row({ id, kind: EntityKind.PLAYER, x: x * 16, y: 160, hp: 50, maxHp: 50 });
const wolf = (id: number): Row => row({ id, kind: EntityKind.NPC, template: 7, x: 200, y: 200 });

function decodeNames(frames: Uint8Array[] | null): { entity: number; name: string }[] {
  if (!frames) return [];
  return frames.flatMap((f) => {
    const m = decodeServerMessage(f);
    if (m?.op !== 'names') throw new Error('not a NAMES message');
    return m.entries;
  });
}

describe('playerEnters: the players a snapshot brings into view', () => {
  it('finds the player enters (ids far apart, so steps take several varint bytes), never the viewer, NPCs or updates', () => {
    const me = 0x00300001;
    const rows = [player(me), player(3), wolf(5), player(0x00100004), player(0x0fffff05)];
    const found: number[] = [];
    expect(playerEnters(frame(rows, me), 0, frame(rows, me).length, found)).toBe(true);
    expect(found).toEqual([3, 0x00100004, 0x0fffff05]);
    // A delta: only what entered since the baseline.
    const next: number[] = [];
    const f = frame([...rows, player(9, 12)], me, rows, 11);
    expect(playerEnters(f, 0, f.length, next)).toBe(true);
    expect(next).toEqual([9]);
  });

  it('reads nothing from a snapshot that brings no one into view, and appends nothing', () => {
    const rows = [player(1), player(2), wolf(3)];
    const moved = [player(1, 11), player(2, 12), wolf(3)];
    const f = frame(moved, 1, rows, 11);
    // Its enter count, right after the header, is 0.
    expect(f[17] | (f[18] << 8)).toBe(0);
    const out = [42];
    expect(playerEnters(f, 0, f.length, out)).toBe(true);
    expect(out).toEqual([42]);
  });

  it('reads a frame at an offset of a larger buffer, and refuses a cut or hostile one without appending', () => {
    const f = frame([player(1), player(2), wolf(3)], 1);
    const inside = new Uint8Array(f.length + 20);
    inside.set(f, 7);
    const found: number[] = [];
    expect(playerEnters(inside, 7, 7 + f.length, found)).toBe(true);
    expect(found).toEqual([2]);
    for (let n = 0; n < f.length - 6; n++) {
      const out = [42];
      const ok = playerEnters(f, 0, n, out);
      if (!ok) expect(out).toEqual([42]);
    }
    // A varint that never ends, and a count far past the bytes.
    const bad = f.slice();
    bad.fill(0xff, 19);
    expect(playerEnters(bad, 0, bad.length, [])).toBe(false);
    const many = f.slice();
    many[17] = 0xff;
    many[18] = 0xff;
    expect(playerEnters(many, 0, many.length, [])).toBe(false);
    expect(playerEnters(new Uint8Array(3), 0, 3, [])).toBe(false);
  });
});

describe('PlayerNames: who is told which names, when', () => {
  const conn = (name: string, zone: number, handle: number): { name: string; zone: number; handle: number } => ({ name, zone, handle });

  it('tells a viewer each name once, again after its own entity changes, and follows a rename of a reused handle', () => {
    const names = new PlayerNames();
    const me = conn('Me', 0, 1);
    const ann = conn('Ann', 0, 2);
    const bob = conn('Bob', 0, 3);
    for (const c of [me, ann, bob]) names.entered(c);
    const f = frame([player(1), player(2), player(3)], 1);
    expect(decodeNames(names.namesFor(me, 0, f, 0, f.length))).toEqual([{ entity: 2, name: 'Ann' }, { entity: 3, name: 'Bob' }]);
    expect(names.namesFor(me, 0, f, 0, f.length)).toBeNull();
    // Bob leaves; Cid gets his handle: the new name is told.
    names.left(bob);
    const cid = conn('Cid', 0, 3);
    names.entered(cid);
    expect(decodeNames(names.namesFor(me, 0, f, 0, f.length))).toEqual([{ entity: 3, name: 'Cid' }]);
    // The viewer went through a portal (a new entity): its client forgot every name.
    me.handle = 7;
    names.entered(me);
    const g = frame([player(7), player(2)], 7);
    expect(decodeNames(names.namesFor(me, 0, g, 0, g.length))).toEqual([{ entity: 2, name: 'Ann' }]);
    // Another zone's player of the same handle is not this zone's.
    expect(names.nameOf(1, 2)).toBeUndefined();
    expect(names.nameOf(0, 2)).toBe('Ann');
  });

  it('a player seen before its name is known is told once it is (within a couple of seconds), then never again', () => {
    const names = new PlayerNames();
    const me = conn('Me', 0, 1);
    names.entered(me);
    const f = frame([player(1), player(2)], 1);
    expect(names.namesFor(me, 0, f, 0, f.length)).toBeNull();
    const quiet = frame([player(1), player(2)], 1, [player(1), player(2)], 11);
    expect(names.namesFor(me, 0, quiet, 0, quiet.length)).toBeNull();
    names.entered(conn('Late', 0, 2));
    expect(decodeNames(names.namesFor(me, 0, quiet, 0, quiet.length))).toEqual([{ entity: 2, name: 'Late' }]);
    expect(names.namesFor(me, 0, quiet, 0, quiet.length)).toBeNull();
    // One never named is given up after a while.
    const ghost = frame([player(1), player(2), player(9)], 1);
    names.namesFor(me, 0, ghost, 0, ghost.length);
    for (let i = 0; i < 60; i++) names.namesFor(me, 0, quiet, 0, quiet.length);
    names.entered(conn('TooLate', 0, 9));
    expect(names.namesFor(me, 0, quiet, 0, quiet.length)).toBeNull();
  });

  it('splits more names than one message holds, and forgets (then tells again) past its memory', () => {
    const names = new PlayerNames();
    const me = conn('Me', 0, 1);
    names.entered(me);
    const rows = [player(1)];
    for (let id = 2; id <= 201; id++) {
      rows.push(player(id));
      names.entered(conn(`P${id}`, 0, id));
    }
    const f = frame(rows, 1);
    const out = names.namesFor(me, 0, f, 0, f.length)!;
    expect(out.length).toBe(2);
    expect(decodeNames(out).map((e) => e.entity)).toEqual(rows.slice(1).map((r) => r.id));
    expect(MAX_SENT_NAMES).toBeGreaterThanOrEqual(Limits.maxViewEntities * 4);
  });
});

describe('NAMES end to end', () => {
  let server: Tessera | undefined;
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await server?.close();
    server = undefined;
  });

  it('two guests near each other learn each other\'s names before they see each other', { timeout: 60_000 }, async () => {
    const s = await startTestServer({ SPAWN_SPREAD: '0' });
    server = s;
    const ann = await TestClient.connect(s.url, 'Ann');
    clients.push(ann);
    const bob = await TestClient.connect(s.url, 'Bøb');
    clients.push(bob);
    await ann.until(() => ann.positionOf(bob.me) !== undefined, 15_000, 'Bob in view');
    await bob.until(() => bob.positionOf(ann.me) !== undefined, 15_000, 'Ann in view');
    expect(ann.names.get(bob.me)).toBe('Bøb');
    expect(bob.names.get(ann.me)).toBe('Ann');
    // Nobody is told its own name.
    expect(ann.names.has(ann.me)).toBe(false);
  });
});
