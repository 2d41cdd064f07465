import { EntityKind } from '../../shared/layout.ts';
import { EventType } from '../event-types.ts';
import type { CellContext } from '../system.ts';
import type { NpcMemory } from './memory.ts';
import { NO_TARGET, THREAT_ENTRIES } from './threat.ts';

/**
 * Experience for an NPC killed in a fight: its template's experience,
 * shared evenly (rounded up) by everyone on its threat table, which every
 * hit and harmful aura fills (combat sends THREAT before each), sent to each
 * as an EXPERIENCE event with the NPC's level (the player's owner scales it
 * by the level difference: combat/progression.ts), and a KILL_CREDIT for
 * quests (systems/quest-credit.ts). Read before the NPC's death clears the table.
 */
export function shareExperience(ctx: CellContext, mem: NpcMemory, slot: number): void {
  const f = ctx.store.f;
  if (f.kind[slot] !== EntityKind.NPC) return;
  const template = f.template[slot];
  const xp = template < ctx.npcs.count ? ctx.npcs.experience[template] : 0;
  const hs = mem.threat.handles;
  const base = slot * THREAT_ENTRIES;
  let n = 0;
  for (let i = base; i < base + THREAT_ENTRIES; i++) if (hs[i] !== NO_TARGET) n++;
  if (n === 0) return;
  const share = Math.ceil(xp / n);
  const me = ctx.store.handleAt(slot);
  for (let i = base; i < base + THREAT_ENTRIES; i++) {
    if (hs[i] === NO_TARGET) continue;
    // Quests count the kill for everyone who fought it, even when it is worth no experience.
    ctx.events.send(EventType.KILL_CREDIT, hs[i], me, template, 0);
    if (xp > 0) ctx.events.send(EventType.EXPERIENCE, hs[i], me, share, f.level[slot]);
  }
}
