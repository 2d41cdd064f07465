import { describe, expect, it } from 'vitest';
import { contentNotice, guestName, welcomeOf, zoneChangeOf } from '../../../src/main/gate/handshake.ts';
import { decodeServerMessage } from '../../../src/protocol/decode.ts';
import { NoticeCode } from '../../../src/protocol/notices.ts';
import type { ZoneSpec } from '../../../src/shared/zone-memory.ts';

const crypt: ZoneSpec = { id: 2, name: 'crypt', width: 48, height: 40, aoiTile: 16, cellCols: 1, cellRows: 1, capacity: 64, tickHz: 30 };

describe('handshake messages', () => {
  it('WELCOME and ZONE_CHANGE carry the zone, the entity and the content hash', () => {
    expect(decodeServerMessage(welcomeOf(crypt, 9, 'f00d'))).toMatchObject({ op: 'welcome', entity: 9, zoneId: 2, tickHz: 30, mapWidth: 48, mapHeight: 40, contentHash: 'f00d', zoneName: crypt.name });
    expect(decodeServerMessage(zoneChangeOf(crypt, 9, 'f00d'))).toEqual({
      op: 'zoneChange',
      entity: 9,
      zoneId: 2,
      zoneName: 'crypt',
      tickHz: 30,
      mapWidth: 48,
      mapHeight: 40,
      aoiTile: 16,
      contentHash: 'f00d',
    });
  });

  it('tells a client whose content differs, and only then', () => {
    expect(contentNotice('', 'abc')).toBeNull(); // the client did not say
    expect(contentNotice('abc', '')).toBeNull(); // the server has none
    expect(contentNotice('abc', 'abc')).toBeNull();
    const n = decodeServerMessage(contentNotice('0123456789abcdef', 'fedcba9876543210')!);
    expect(n).toMatchObject({ op: 'notice', code: NoticeCode.CONTENT_STALE });
    expect(n?.op === 'notice' && n.message).toMatch(/0123456789ab.*fedcba987654/);
  });

  it('guest names are NFC, trimmed and printable', () => {
    expect(guestName('  ann ')).toBe('ann');
    expect(guestName('e\u0301')).toBe('é');
    expect(guestName('\u200bann')).toBeNull();
    expect(guestName('   ')).toBeNull();
  });
});
