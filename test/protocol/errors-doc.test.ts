import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeAck, encodeAction, encodeHello, encodeInput, encodeNames, encodeNotice, encodePing, encodePong, encodeWelcome, encodeZoneChange } from '../../src/protocol/encode.ts';
import { CloseCode, ErrorCode, closeCodeOf, type ErrorCodeValue } from '../../src/protocol/errors.ts';
import { NoticeCode } from '../../src/protocol/notices.ts';
import { ClientOp, Limits, MoveKind, ServerOp } from '../../src/protocol/opcodes.ts';
import { ActionKind, ActionReason, CombatEvent } from '../../src/protocol/combat-codes.ts';
import { maxSnapshotBytes } from '../../src/protocol/snapshot-codec.ts';

const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');

/** Table rows of the doc as arrays of trimmed cells. */
const rows = doc
  .split('\n')
  .filter((l) => l.startsWith('|'))
  .map((l) =>
    l
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((c) => c.trim()),
  );

describe('docs/protocol.md documents the protocol', () => {
  it('every error code, with its number and close code', () => {
    for (const [name, code] of Object.entries(ErrorCode)) {
      const row = rows.find((r) => r[0] === String(code) && r[1] === `\`${name}\``);
      expect(row, `error code ${name} (${code}) is not documented`).toBeDefined();
      expect(row![2], `close code of ${name}`).toBe(String(closeCodeOf[code as ErrorCodeValue]));
      expect(row![3]?.length ?? 0, `meaning of ${name}`).toBeGreaterThan(5);
    }
  });

  it('every close code, with its meaning', () => {
    for (const [name, code] of Object.entries(CloseCode)) {
      const row = rows.find((r) => r[0] === String(code) && r[1] === `\`${name}\``);
      expect(row, `close code ${name} (${code}) is not documented`).toBeDefined();
      expect(row![2]?.length ?? 0, `meaning of ${name}`).toBeGreaterThan(5);
    }
  });

  it('every notice code, with its meaning', () => {
    for (const [name, code] of Object.entries(NoticeCode)) {
      const row = rows.find((r) => r[0] === String(code) && r[1] === `\`${name}\``);
      expect(row, `notice code ${name} (${code}) is not documented`).toBeDefined();
      expect(row![2]?.length ?? 0, `meaning of ${name}`).toBeGreaterThan(5);
    }
  });

  it('every error code maps to a close code that is itself documented', () => {
    const closes = new Set<number>(Object.values(CloseCode));
    for (const code of Object.values(ErrorCode)) expect(closes.has(closeCodeOf[code])).toBe(true);
  });

  it('every action kind, refusal reason and combat event type, by number and name', () => {
    for (const table of [ActionKind, ActionReason, CombatEvent]) {
      for (const [name, code] of Object.entries(table)) {
        const row = rows.find((r) => r[0] === String(code) && r[1] === `\`${name}\``);
        expect(row, `${name} (${code}) is not documented`).toBeDefined();
        expect(row![2]?.length ?? 0, `meaning of ${name}`).toBeGreaterThan(5);
      }
    }
  });

  it('the largest snapshot it states is maxSnapshotBytes', () => {
    expect(doc).toContain(`${maxSnapshotBytes(Limits.maxViewEntities).toLocaleString('en-US')} bytes in all`);
    expect(maxSnapshotBytes(Limits.maxViewEntities)).toBeLessThanOrEqual(Limits.maxServerFrame);
  });

  it('every opcode, by number and name', () => {
    for (const [name, op] of [...Object.entries(ClientOp), ...Object.entries(ServerOp)]) {
      expect(
        rows.some((r) => r[0] === String(op) && r[1] === `\`${name}\``),
        `opcode ${name} (${op}) is not documented`,
      ).toBe(true);
    }
  });

  it('every limit, with its value', () => {
    for (const [name, value] of Object.entries(Limits)) {
      const row = rows.find((r) => r[0] === `\`${name}\``);
      expect(row, `limit ${name} is not documented`).toBeDefined();
      expect(row![1].replace(/,/g, '')).toContain(String(value));
    }
  });

  it('the message sizes it states match the encoders', () => {
    const sizes: [string, number][] = [
      ['`ACK` 5', encodeAck(1).length],
      ['`PING` 9', encodePing(1).length],
      ['`ACTION` 14', encodeAction({ seq: 1, kind: ActionKind.RESPAWN, target: 0, skill: 0, x: 0, y: 0 }).length],
      ['`HELLO` 10 + name bytes + hash bytes', encodeHello('').length],
      ['(STOP)', encodeInput({ seq: 1, ackTick: 1, move: MoveKind.STOP, dx: 0, dy: 0, x: 0, y: 0 }).length],
      ['(26 bytes + hash bytes + name bytes)', encodeWelcome({ version: 1, entity: 1, zoneId: 1, tickHz: 20, mapWidth: 1, mapHeight: 1, aoiTile: 1, serverTime: 0, contentHash: '', zoneName: '' }).length],
      ['(17 bytes)', encodePong(0, 0).length],
      ['(16 bytes + name bytes + hash bytes)', encodeZoneChange({ entity: 1, zoneId: 1, tickHz: 20, mapWidth: 1, mapHeight: 1, aoiTile: 1, zoneName: '', contentHash: '' }).length],
      ['(4 bytes + message bytes;', encodeNotice(NoticeCode.CONTENT_STALE, '').length],
      ['(2 bytes + 5 and the name bytes per entry)', encodeNames([{ entity: 1, name: '' }]).length],
    ];
    expect(doc).toContain('`INPUT` 10 (STOP), 12 (DIRECTION) or 14');
    expect(sizes.map(([, n]) => n)).toEqual([5, 9, 14, 10, 10, 26, 17, 16, 4, 7]);
    for (const [text] of sizes) expect(doc).toContain(text);
  });
});
