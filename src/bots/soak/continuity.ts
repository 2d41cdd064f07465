/**
 * "Nothing acknowledged is lost", checked on one character across a break
 * (its cell restarted, the server process was killed, a database restarted):
 * the state the server tells after the break must not be behind the state
 * it had acknowledged before it. Gains the client never heard of are allowed
 * (a pick-up answered after the break, a kill credited as the cell died);
 * anything that went backwards is a loss.
 */
import { type AckedState } from './acked-state.ts';

export interface Tolerances {
  /** World units the position may differ by (movement within the checkpoint interval). */
  position: number;
}

/** Where an item is: its container (protocol/item-codes.ts Container) and slot. */
export interface Placement {
  container: number;
  slot: number;
}

/**
 * The ITEM requests whose answer the client has not had when the server
 * restates its items, by the item each moves: where that item is if the
 * request committed. Such a request may or may not have committed (its
 * answer was lost with the process, or is still coming), but never
 * partly: the item is where it was, or where one of them puts it.
 */
export type InFlight = ReadonlyMap<number, readonly Placement[]>;

/** Adds a request that would put item `id` at `to` (if it commits) to `into`. */
export function addInFlight(into: Map<number, Placement[]>, id: number, to: Placement): void {
  const list = into.get(id);
  if (!list) into.set(id, [{ ...to }]);
  else if (!list.some((p) => p.container === to.container && p.slot === to.slot)) list.push({ ...to });
}

/**
 * What of `before` is missing from `after`, one line each (empty: nothing
 * lost). `inFlight`: the moves of unanswered ITEM requests (InFlight); an
 * item may be where it was or where one of them puts it, nowhere else, and
 * never gone or fewer for them.
 */
export function lostAcross(before: AckedState, after: AckedState, tol: Tolerances, inFlight: InFlight = new Map()): string[] {
  const lost: string[] = [];
  if (before.placed && after.placed) {
    const d = Math.hypot(after.x - before.x, after.y - before.y);
    if (d > tol.position) lost.push(`position moved ${d.toFixed(2)} units (${fmt(before.x, before.y)} → ${fmt(after.x, after.y)}), more than ${tol.position}`);
    if (after.level < before.level) lost.push(`level ${before.level} → ${after.level}`);
  }
  if (before.xp >= 0 && after.xp >= 0 && after.xp < before.xp) lost.push(`experience ${before.xp} → ${after.xp}`);
  if (before.inventoryKnown && after.inventoryKnown) {
    if (after.gold < before.gold) lost.push(`gold ${before.gold} → ${after.gold}`);
    for (const [id, was] of before.items) {
      const now = after.items.get(id);
      if (!now) {
        lost.push(`item ${id} (template ${was.template} ×${was.count}) gone`);
        continue;
      }
      if (now.template !== was.template) lost.push(`item ${id} changed template ${was.template} → ${now.template}`);
      if (now.count < was.count) lost.push(`item ${id} count ${was.count} → ${now.count}`);
      if (now.container !== was.container || now.slot !== was.slot) {
        const moves = inFlight.get(id) ?? [];
        if (!moves.some((p) => p.container === now.container && p.slot === now.slot)) {
          const asked = moves.length ? `; its unanswered requests would put it at ${moves.map((p) => `${p.container}:${p.slot}`).join(' or ')}` : ' without an acknowledged request';
          lost.push(`item ${id} moved ${was.container}:${was.slot} → ${now.container}:${now.slot}${asked}`);
        }
      }
    }
  }
  if (before.questsKnown && after.questsKnown) {
    for (const [q, was] of before.quests) {
      const now = after.quests.get(q);
      if (!now) {
        lost.push(`quest ${q} (state ${was.state}) gone from the log`);
        continue;
      }
      if (now.completions < was.completions) lost.push(`quest ${q} completions ${was.completions} → ${now.completions}`);
      if (now.completions === was.completions && now.state < was.state) lost.push(`quest ${q} state ${was.state} → ${now.state}`);
      if (now.completions === was.completions && now.state === was.state) {
        for (let i = 0; i < was.counts.length; i++) {
          if ((now.counts[i] ?? 0) < was.counts[i]) lost.push(`quest ${q} objective ${i} count ${was.counts[i]} → ${now.counts[i] ?? 0}`);
        }
      }
    }
  }
  return lost;
}

/**
 * Exact comparison of a character's persisted state with the last state
 * acknowledged to its client, after a clean end (nothing in flight): one
 * line per difference, position within `tol.position`.
 */
export function differences(acked: AckedState, persisted: AckedState, tol: Tolerances): string[] {
  const out: string[] = [];
  if (acked.placed) {
    const d = Math.hypot(persisted.x - acked.x, persisted.y - acked.y);
    if (d > tol.position) out.push(`position saved ${fmt(persisted.x, persisted.y)}, told ${fmt(acked.x, acked.y)} (${d.toFixed(2)} apart, more than ${tol.position})`);
    if (persisted.level !== acked.level) out.push(`level saved ${persisted.level}, told ${acked.level}`);
  }
  if (acked.xp >= 0 && persisted.xp !== acked.xp) out.push(`experience saved ${persisted.xp}, told ${acked.xp}`);
  if (acked.inventoryKnown) {
    if (persisted.gold !== acked.gold) out.push(`gold saved ${persisted.gold}, told ${acked.gold}`);
    const told = lines(acked);
    const saved = lines(persisted);
    for (const l of told) if (!saved.has(l)) out.push(`item told but not saved: ${l}`);
    for (const l of saved) if (!told.has(l)) out.push(`item saved but never told: ${l}`);
  }
  if (acked.questsKnown) {
    for (const [q, p] of acked.quests) {
      const s = persisted.quests.get(q);
      const a = `s${p.state} done${p.completions} [${p.counts.join(',')}]`;
      const b = s ? `s${s.state} done${s.completions} [${s.counts.join(',')}]` : 'none';
      if (a !== b) out.push(`quest ${q} saved ${b}, told ${a}`);
    }
    for (const q of persisted.quests.keys()) if (!acked.quests.has(q)) out.push(`quest ${q} saved but never told`);
  }
  return out;
}

function lines(s: AckedState): Set<string> {
  return new Set([...s.items.values()].map((it) => `${it.id} t${it.template}×${it.count} c${it.container}:${it.slot}`));
}

function fmt(x: number, y: number): string {
  return `(${x.toFixed(1)}, ${y.toFixed(1)})`;
}
