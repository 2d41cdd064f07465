import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARS, loadConfig } from '../../src/main/config.ts';
import { ConfigError } from '../../src/main/env.ts';
import { withCurrentTable } from '../../src/main/config-doc.ts';

describe('configuration', () => {
  it('has safe defaults with no environment', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8080);
    expect(c.host).toBe('127.0.0.1');
    expect(c.tickHz).toBe(20);
    expect(c.zones).toHaveLength(1);
    expect(c.zones[0].cellCols * c.zones[0].cellRows).toBe(2);
    expect(c.allowGuests).toBe(true); // embedded mode
    expect(loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1/db' }).allowGuests).toBe(false);
    expect(c.resumeGraceMs).toBe(30_000);
    expect(loadConfig({ RESUME_GRACE_MS: '0' }).resumeGraceMs).toBe(0);
  });

  it.each([
    ['TICK_HZ', '61', /TICK_HZ must be in 1\.\.60/],
    ['TICK_HZ', '20.5', /TICK_HZ must be an integer/],
    ['SEND_HZ', '0', /SEND_HZ must be in 1\.\.60/],
    ['SEND_HZ', '61', /SEND_HZ must be in 1\.\.60/],
    ['SEND_HZ', '20hz', /SEND_HZ must be an integer/],
    ['SEND_HZ', '9'.repeat(400), /SEND_HZ must be in 1\.\.60/],
    ['SEND_HZ', '30', /SEND_HZ \(30\) must be at most TICK_HZ \(20\)/],
    ['PORT', '-1', /PORT must be in/],
    ['PORT', '8080; rm -rf /', /PORT must be an integer/],
    ['ZONE_CELLS', '3', /ZONE_CELLS must be COLSxROWS/],
    ['ZONE_CELLS', '0x1', /at least one column/],
    ['ZONE_CELLS', '40x1', /needs at least that many AOI tiles/],
    ['ZONES', 'meadow:256x256', /ZONES entry 1 must be NAME:WIDTHxHEIGHT:COLSxROWS/],
    ['ZONES', 'a:64x64:1x1,a:64x64:1x1', /names zone "a" twice/],
    ['ZONES', 'a:9999x64:1x1', /size 9999x64 out of 16\.\.4095/],
    ['ZONES', 'a:64x64:8x1', /needs at least that many AOI tiles/],
    ['ZONES', 'x:64x64:1x1,'.repeat(65), /at most 64/],
    ['ALLOW_GUESTS', 'maybe', /ALLOW_GUESTS must be one of/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL must use postgres/],
    ['REDIS_URL', 'not a url', /REDIS_URL is not a valid URL/],
    ['ZONE_NAME', 'Robert"); DROP TABLE', /ZONE_NAME must be lowercase/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be a pino level/],
    ['ZONE_WIDTH', '9'.repeat(400), /ZONE_WIDTH must be in 16\.\.4095/],
    ['RESUME_GRACE_MS', '-1', /RESUME_GRACE_MS must be in 0\.\.3600000/],
    ['RESUME_GRACE_MS', '3600001', /RESUME_GRACE_MS must be in 0\.\.3600000/],
    ['RESUME_GRACE_MS', '30s', /RESUME_GRACE_MS must be an integer/],
  ])('rejects %s=%s naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('SEND_HZ defaults to 20, or TICK_HZ when that is lower, and may not exceed TICK_HZ', () => {
    expect(loadConfig({}).sendHz).toBe(20);
    expect(loadConfig({ TICK_HZ: '60' }).sendHz).toBe(20);
    expect(loadConfig({ TICK_HZ: '10' }).sendHz).toBe(10);
    expect(loadConfig({ TICK_HZ: '60', SEND_HZ: '60' }).sendHz).toBe(60);
    expect(loadConfig({ TICK_HZ: '60', SEND_HZ: '15' }).sendHz).toBe(15);
    expect(() => loadConfig({ TICK_HZ: '10', SEND_HZ: '20' })).toThrow(/SEND_HZ \(20\) must be at most TICK_HZ \(10\)/);
  });

  it('reads several zones from ZONES, and refuses it mixed with ZONE_*', () => {
    const c = loadConfig({ ZONES: 'meadow:256x256:2x1:50, crypt:128x96:1x1' });
    expect(c.zones.map((z) => [z.name, z.width, z.height, z.cellCols, z.cellRows, z.npcCount])).toEqual([
      ['meadow', 256, 256, 2, 1, 50],
      ['crypt', 128, 96, 1, 1, 0],
    ]);
    expect(() => loadConfig({ ZONES: 'a:64x64:1x1', ZONE_NAME: 'b' })).toThrow(/either ZONES or ZONE_NAME/);
  });

  it('reads NPC_TEMPLATE for every configured zone, and refuses what is not an NPC id', () => {
    const c = loadConfig({ NPC_TEMPLATE: 'npc.boar', NPC_COUNT: '40' });
    expect(c.zonesFromContent).toBe(false);
    expect(c.zones.map((z) => [z.npcCount, z.npcTemplate])).toEqual([[40, 'npc.boar']]);
    expect(loadConfig({ ZONES: 'a:64x64:1x1:5' }).zones[0].npcTemplate).toBeUndefined();
    expect(() => loadConfig({ NPC_TEMPLATE: 'boar' })).toThrow(/NPC_TEMPLATE.*a content NPC id such as npc.boar/);
    expect(() => loadConfig({ NPC_TEMPLATE: `npc.${'x'.repeat(100)}` })).toThrow(/NPC_TEMPLATE/);
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({ TICK_HZ: '0', PORT: 'x', ALLOW_GUESTS: '2' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const msg = (err as Error).message;
      expect(msg).toContain('TICK_HZ');
      expect(msg).toContain('PORT');
      expect(msg).toContain('ALLOW_GUESTS');
    }
  });

  it('documents every variable in the README configuration table', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const v of CONFIG_VARS) expect(readme, v.name).toContain(`\`${v.name}\``);
    // The table is generated: `npm run docs:config` refreshes it.
    expect(withCurrentTable(readme)).toBe(readme);
  });
});
