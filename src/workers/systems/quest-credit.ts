import { areaMask, namedAreasOf } from '../../content/zone-areas.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import { EntityFlags, EntityKind } from '../../shared/layout.ts';
import { QuestFact, writeQuestFact } from '../../shared/messages/cell-to-gate.ts';
import type { EntityStore } from '../../shared/entity-store.ts';
import { EventType } from '../event-types.ts';
import { PartId, type PrivatePart } from '../private-state.ts';
import type { CellContext, System } from '../system.ts';

/** Not yet checked here: the first check records the area without crediting it. */
const UNSEEN = 0xff;

/**
 * The area (1 + its index in content/zone-areas.ts, 0: none) each player
 * stood in at its last check. Private to the owner and carried by a
 * handoff, so walking across a cell border inside an area is not a second
 * arrival; a player that joins or is restarted standing in an area has not
 * stepped into it.
 */
export class AreaMemory implements PrivatePart {
  readonly id = PartId.QUEST_AREAS;
  readonly name = 'quest-areas';
  readonly inside: Uint8Array;

  constructor(store: EntityStore) {
    this.inside = new Uint8Array(store.capacity).fill(UNSEEN);
  }

  appliesTo(kind: number): boolean {
    return kind === EntityKind.PLAYER;
  }

  size(): number {
    return 1;
  }

  write(w: Writer, slot: number): void {
    w.u8(this.inside[slot]);
  }

  read(r: Reader, slot: number): void {
    this.inside[slot] = r.u8();
  }

  recover(slot: number): boolean {
    this.inside[slot] = UNSEEN;
    return true;
  }

  release(slot: number): void {
    this.inside[slot] = UNSEEN;
  }
}

/**
 * What quests count, reported to the coordinator as must-deliver QUEST_FACTs
 * (main/quests keeps the counters, durably): a share in an NPC's kill (a
 * KILL_CREDIT event, sent by the cell where the NPC died, so a neighbour's
 * kill arrives through the event channel) and a live player stepping into
 * a named area of the zone. The cells know nothing of quests: every kill
 * and arrival is a fact, and the coordinator counts the ones a quest wants.
 */
export function questCredit(ctx: CellContext): System {
  const mask = areaMask(namedAreasOf(ctx.zoneMap), ctx.map.width, ctx.map.height);
  const width = ctx.map.width;
  const mem = new AreaMemory(ctx.store);
  ctx.parts.register(mem);
  ctx.events.on(EventType.KILL_CREDIT, (e, slot) => {
    const p = ctx.players.bySlot[slot];
    if (p) writeQuestFact(ctx.gateOut, p.conn, QuestFact.KILL, e.a);
  });
  return {
    name: 'quest-credit',
    phase: 'simulate',
    run(c) {
      const f = c.store.f;
      const list = c.players.slots.list;
      const bySlot = c.players.bySlot;
      for (let i = c.players.slots.count - 1; i >= 0; i--) {
        const slot = list[i];
        const p = bySlot[slot]!;
        const at = mask[Math.floor(f.y[slot]) * width + Math.floor(f.x[slot])];
        const was = mem.inside[slot];
        if (at === was) continue;
        mem.inside[slot] = at;
        if (was === UNSEEN || at === 0 || (f.flags[slot] & EntityFlags.DEAD) !== 0) continue;
        writeQuestFact(c.gateOut, p.conn, QuestFact.REACH, at - 1);
      }
    },
  };
}
