/**
 * Chat end to end (issue 11's acceptance): a whole server in this process,
 * real WebSocket clients speaking the real protocol. A meadow of two cells
 * (x < 48 and x ≥ 48, 16-unit AOI tiles) and a crypt behind a portal. Say is
 * heard across the cell border within the speaker's 3×3 tiles and not
 * beyond; a whisper reaches a player in the other zone; a flood and a
 * bidi-override message are refused with their reason codes while the
 * others chat on. Waits are bounded polls on what the clients see.
 */
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { registerChatMetrics } from '../../src/main/metrics/chat.ts';
import type { ZoneLaunch } from '../../src/main/zones/supervisor.ts';
import { ChatChannel, ChatReason } from '../../src/protocol/chat-codes.ts';
import type { ZoneSpec } from '../../src/shared/zone-memory.ts';
import { TestClient } from '../helpers/client.ts';
import { startTestServer } from '../helpers/server.ts';
import { fieldPack, portal } from '../helpers/zone-maps.ts';

type Server = Awaited<ReturnType<typeof startTestServer>>;

function spec(over: Partial<ZoneSpec> & Pick<ZoneSpec, 'id' | 'name' | 'width' | 'height'>): ZoneSpec {
  return { aoiTile: 16, cellCols: 1, cellRows: 1, capacity: 256, tickHz: 20, ...over };
}

function zones(): ZoneLaunch[] {
  return [
    {
      spec: spec({ id: 1, name: 'meadow', width: 96, height: 32, cellCols: 2 }),
      map: fieldPack('meadow', { width: 96, height: 32, portals: [portal('to-crypt', 10, 20, 2, 2, 'crypt', 'entry')] }),
      cell: { playerSpeed: 30 },
    },
    {
      spec: spec({ id: 2, name: 'crypt', width: 48, height: 48 }),
      map: fieldPack('crypt', { width: 48, height: 48, points: [{ name: 'entry', x: 24, y: 24 }] }),
      cell: { playerSpeed: 30 },
    },
  ];
}

const near = (c: TestClient, x: number, y: number) => {
  const p = c.positionOf(c.me);
  return p !== undefined && Math.abs(p.x - x) < 0.5 && Math.abs(p.y - y) < 0.5;
};

async function placeAt(c: TestClient, x: number, y: number): Promise<void> {
  c.moveTo(x, y);
  await c.until(() => near(c, x, y), 10_000, `${c.welcome?.entity} at ${x}, ${y}`);
}

describe('chat over real WebSockets', () => {
  let server: Server | undefined;
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await server?.close();
    server = undefined;
  });

  async function connect(name: string): Promise<TestClient> {
    const c = await TestClient.connect(server!.url, name);
    clients.push(c);
    return c;
  }

  it('say is heard across a cell border in range and not out of range; a whisper reaches another zone; a flood and a bidi override are refused while others chat', async () => {
    const registry = new Registry();
    server = await startTestServer({ SPAWN_SPREAD: '0', CHAT_BURST: '3', CHAT_RATE_PER_MINUTE: '6' }, { zones: zones(), chatMetrics: registerChatMetrics(registry) });
    const ann = await connect('ann');
    const bob = await connect('bob');
    const cyd = await connect('cyd');
    const dee = await connect('dee');
    await Promise.all([placeAt(ann, 40, 16), placeAt(bob, 56, 16), placeAt(cyd, 90, 16)]);
    dee.moveTo(11, 21);
    await dee.until(() => dee.zoneChanges.length === 1, 10_000, 'dee in the crypt');

    // Say: ann (cell 0, tile 2) is heard by bob (cell 1, tile 3) and by herself, not by cyd (tile 5).
    ann.chat(ChatChannel.SAY, 'hello neighbours');
    await bob.until(() => bob.heard(ChatChannel.SAY).length === 1, 5000, 'bob hears ann');
    await ann.until(() => ann.heard(ChatChannel.SAY).length === 1, 5000, 'ann hears herself');
    const said = bob.heard(ChatChannel.SAY)[0];
    expect(said).toMatchObject({ name: 'ann', text: 'hello neighbours', entity: ann.me, code: 0 });
    // Once cyd has a snapshot past the tick bob heard it in, cyd would have heard it.
    await cyd.until(() => cyd.view.lastTick > said.tick + 2, 5000, 'cyd past the tick of the say');
    expect(cyd.heard(ChatChannel.SAY)).toEqual([]);
    expect(dee.heard(ChatChannel.SAY)).toEqual([]);

    // A whisper reaches dee in the crypt; ann sees her copy; a name nobody plays is "not online".
    ann.chat(ChatChannel.WHISPER, 'are you in the crypt?', 'DEE');
    await dee.until(() => dee.heard(ChatChannel.WHISPER).length === 1, 5000, 'dee gets the whisper');
    expect(dee.heard(ChatChannel.WHISPER)[0]).toMatchObject({ name: 'ann', text: 'are you in the crypt?', entity: 0 });
    await ann.until(() => ann.heard(ChatChannel.WHISPER_SENT).length === 1, 5000, 'ann sees her whisper');
    expect(ann.heard(ChatChannel.WHISPER_SENT)[0]).toMatchObject({ name: 'dee', text: 'are you in the crypt?' });
    dee.chat(ChatChannel.WHISPER, 'yes, hurry', 'ann');
    await ann.until(() => ann.heard(ChatChannel.WHISPER).length === 1, 5000, 'ann gets the answer');
    ann.chat(ChatChannel.WHISPER, 'hello?', 'nobody');
    await ann.until(() => ann.heard(ChatChannel.INFO).length === 1, 5000, 'ann told nobody is online');
    expect(ann.heard(ChatChannel.INFO)[0]).toMatchObject({ code: ChatReason.NOT_ONLINE, text: 'nobody is not online.' });

    // cyd floods zone chat: three go through (the burst), the rest are refused, told once.
    for (let i = 0; i < 12; i++) cyd.chat(ChatChannel.ZONE, `buy gold ${i}`);
    // bob tries to reverse the text's direction: refused.
    bob.chat(ChatChannel.ZONE, 'see \u202Egnp.exe');
    await cyd.until(() => cyd.heard(ChatChannel.INFO).length === 1, 5000, 'cyd told to slow down');
    expect(cyd.heard(ChatChannel.INFO)[0].code).toBe(ChatReason.RATE_LIMITED);
    await bob.until(() => bob.heard(ChatChannel.INFO).length === 1, 5000, 'bob told why');
    expect(bob.heard(ChatChannel.INFO)[0].code).toBe(ChatReason.FORBIDDEN_CHARACTERS);
    // Meanwhile the others chat normally, on zone and say.
    bob.chat(ChatChannel.ZONE, 'anyone for the crypt?');
    await ann.until(() => ann.heard(ChatChannel.ZONE).some((l) => l.text === 'anyone for the crypt?'), 5000, 'ann hears bob on zone');
    await cyd.until(() => cyd.heard(ChatChannel.ZONE).some((l) => l.text === 'anyone for the crypt?'), 5000, 'cyd hears bob on zone');
    expect(ann.heard(ChatChannel.ZONE).map((l) => l.text)).toEqual(['buy gold 0', 'buy gold 1', 'buy gold 2', 'anyone for the crypt?']);
    expect(ann.heard(ChatChannel.ZONE).some((l) => l.text.includes('exe'))).toBe(false);
    expect(dee.heard(ChatChannel.ZONE)).toEqual([]); // another zone
    bob.chat(ChatChannel.SAY, 'ann, over here');
    await ann.until(() => ann.heard(ChatChannel.SAY).length === 2, 5000, 'ann hears bob say');
    for (const c of [ann, bob, cyd, dee]) expect(c.closeCode).toBeUndefined();

    // The refusals and messages are counted.
    const refusals = (await registry.getSingleMetric('tessera_chat_refusals_total')!.get()).values;
    const byReason = Object.fromEntries(refusals.map((v) => [v.labels.reason, v.value]));
    expect(byReason).toMatchObject({ rate_limited: 9, forbidden_characters: 1, not_online: 1 });
    const messages = (await registry.getSingleMetric('tessera_chat_messages_total')!.get()).values;
    expect(Object.fromEntries(messages.map((v) => [v.labels.channel, v.value]))).toMatchObject({ say: 2, zone: 4, whisper: 2 });
  });

  it('an announcement reaches every player of its zone, or of every zone', async () => {
    server = await startTestServer({ SPAWN_SPREAD: '0' }, { zones: zones() });
    const ann = await connect('ann');
    const dee = await connect('dee');
    dee.moveTo(11, 21);
    await dee.until(() => dee.zoneChanges.length === 1, 10_000, 'dee in the crypt');
    expect(server.chat.announce('crypt', 'The crypt closes soon')).toBe(1);
    expect(server.chat.announce('all', 'Restart in 5 minutes')).toBe(2);
    await dee.until(() => dee.heard(ChatChannel.SYSTEM).length === 2, 5000, 'dee hears both');
    await ann.until(() => ann.heard(ChatChannel.SYSTEM).length === 1, 5000, 'ann hears one');
    expect(ann.heard(ChatChannel.SYSTEM)[0]).toMatchObject({ text: 'Restart in 5 minutes', name: '' });
  });
});
