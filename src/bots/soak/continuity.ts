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

/**
 * What of `before` is missing from `after`, one line each (empty: nothing
 * lost). `inFlight`: ids of items an unanswered ITEM request was about (a
 * move the server may have made without the client hearing of it).
 */
export function lostAcross(before: AckedState, after: AckedState, tol: Tolerances, inFlight: ReadonlySet<number> = new Set()): string[] {
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
        if (!inFlight.has(id)) lost.push(`item ${id} (template ${was.template} ×${was.count}) gone`);
        continue;
      }
      if (now.template !== was.template) lost.push(`item ${id} changed template ${was.template} → ${now.template}`);
      if (now.count < was.count && !inFlight.has(id)) lost.push(`item ${id} count ${was.count} → ${now.count}`);
      if ((now.container !== was.container || now.slot !== was.slot) && !inFlight.has(id)) {
        lost.push(`item ${id} moved ${was.container}:${was.slot} → ${now.container}:${now.slot} without an acknowledged request`);
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
