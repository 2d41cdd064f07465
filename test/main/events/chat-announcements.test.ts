/**
 * World events' host with announcements said on chat too: each goes to the
 * host (the NOTICE) and to chat's SYSTEM channel for the same zone; chat not
 * built yet, or refusing the text, never stops the host's NOTICE nor throws
 * into the events' tick; the other host calls pass through unchanged.
 */
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { announcingInChat, type SystemAnnouncer } from '../../../src/main/events/chat-announcements.ts';
import type { WorldEventHost } from '../../../src/main/events/world-events.ts';

function host(calls: string[]): WorldEventHost {
  return {
    announce: (zone, text) => void calls.push(`notice ${zone} ${text}`),
    spawnNpc: (zone, template, x, y) => (calls.push(`spawn ${zone} ${template} ${x} ${y}`), true),
    dismissNpcs: (zone, template) => void calls.push(`dismiss ${zone} ${template}`),
    reward: (p, xp) => void calls.push(`reward ${p.id} ${xp}`),
    grant: (p, items, gold, reason) => void calls.push(`grant ${p.id} ${items.length} ${gold} ${reason}`),
  };
}

const silent = pino({ level: 'silent' });

describe('announcingInChat', () => {
  it('says each announcement on chat to the same zone, after the NOTICE', () => {
    const calls: string[] = [];
    const chat: SystemAnnouncer = { announce: (zone, text) => (calls.push(`chat ${zone} ${text}`), 3) };
    const h = announcingInChat(host(calls), () => chat, silent);
    h.announce('field', 'The Barrow King has risen!');
    expect(calls).toEqual(['notice field The Barrow King has risen!', 'chat field The Barrow King has risen!']);
  });

  it('keeps the NOTICE and does not throw when chat is not built yet or refuses the text', () => {
    const calls: string[] = [];
    const warned: unknown[] = [];
    const log = { warn: (o: unknown) => void warned.push(o) } as unknown as Parameters<typeof announcingInChat>[2];
    let chat: SystemAnnouncer | undefined;
    const h = announcingInChat(host(calls), () => chat, log);
    h.announce('field', 'early');
    chat = {
      announce: () => {
        throw new RangeError('announce: text refused (FORBIDDEN_CHARACTERS)');
      },
    };
    expect(() => h.announce('field', 'bad \u202e text')).not.toThrow();
    expect(calls).toEqual(['notice field early', 'notice field bad \u202e text']);
    expect(warned).toEqual([{ zone: 'field', err: 'RangeError: announce: text refused (FORBIDDEN_CHARACTERS)' }]);
  });

  it('passes the other calls through to the host', () => {
    const calls: string[] = [];
    const h = announcingInChat(host(calls), () => undefined, silent);
    expect(h.spawnNpc('field', 4, 10, 12)).toBe(true);
    h.dismissNpcs('field', 4);
    h.reward({ id: 7, characterId: 70 }, 500);
    h.grant({ id: 7, characterId: 70 }, [{ template: 'item.bread', count: 1 }], 25, 'event:x');
    expect(calls).toEqual(['spawn field 4 10 12', 'dismiss field 4', 'reward 7 500', 'grant 7 1 25 event:x']);
  });
});
