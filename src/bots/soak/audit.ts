/**
 * The soak's closing audit, run on the database after the server stopped
 * cleanly: every character's persisted state (position, level, experience,
 * gold, items, quest progress) against the last state the server
 * acknowledged to its bot (continuity.ts differences), and the item-ledger
 * audit of `npm run audit:items` (main/items/audit.ts).
 */
import type { Content } from '../../content/schema/kinds.ts';
import { auditItems, type AuditReport } from '../../main/items/audit.ts';
import { ItemCatalogue } from '../../main/items/catalogue.ts';
import type { Queryable } from '../../main/persistence/db.ts';
import { Container } from '../../protocol/item-codes.ts';
import { emptyState, type AckedState } from './acked-state.ts';
import { differences, type Tolerances } from './continuity.ts';

/** One character's audit: what differs between the database and what its client was told. */
export interface CharacterAudit {
  bot: string;
  characterId: number;
  differences: string[];
}

const QUEST_STATE = { active: 1, ready: 2, done: 3 } as const;

/** The persisted state of character `id`, in the wire's numbers (item templates, quest numbers). */
export async function persistedState(q: Queryable, id: number, catalogue: Pick<Content, 'items' | 'quests'>): Promise<AckedState | undefined> {
  const rows = await q.query<{ x: number; y: number; level: number; xp: number; gold: number }>('SELECT x, y, level, xp::float8 AS xp, gold::float8 AS gold FROM characters WHERE id = $1', [id]);
  const c = rows[0];
  if (!c) return undefined;
  const s = emptyState();
  Object.assign(s, { x: c.x, y: c.y, level: c.level, xp: c.xp, gold: c.gold, placed: true, inventoryKnown: true, questsKnown: true });
  const itemNumber = new Map(catalogue.items.map((it, i) => [it.id, i + 1]));
  const items = await q.query<{ id: number; version: number; template: string; count: number; container: string; slot: number }>(
    "SELECT id::float8 AS id, version, template, count, container, slot FROM item_instances WHERE owner_id = $1 AND container <> 'ground'",
    [id],
  );
  for (const it of items) {
    s.items.set(it.id, { id: it.id, version: it.version, template: itemNumber.get(it.template) ?? 0, count: it.count, container: it.container === 'bag' ? Container.BAG : Container.EQUIPMENT, slot: it.slot });
  }
  // Quest numbers are quests.json order from 0 (quests/quest-defs.ts).
  const questNumber = new Map(catalogue.quests.map((k, i) => [k.id, i]));
  const quests = await q.query<{ quest: string; done: boolean; completions: number }>('SELECT quest, done, completions FROM character_quests WHERE character_id = $1', [id]);
  const objectives = await q.query<{ quest: string; objective: number; count: number }>('SELECT quest, objective, count FROM quest_objectives WHERE character_id = $1', [id]);
  for (const k of quests) {
    const n = questNumber.get(k.quest);
    if (n === undefined) continue;
    const def = catalogue.quests[n];
    const counts = k.done ? [] : def.objectives.map((_, i) => objectives.find((o) => o.quest === k.quest && o.objective === i)?.count ?? 0);
    const ready = !k.done && def.objectives.every((o, i) => counts[i] >= ('count' in o ? o.count : 1));
    s.quests.set(n, { state: k.done ? QUEST_STATE.done : ready ? QUEST_STATE.ready : QUEST_STATE.active, completions: k.completions, counts });
  }
  return s;
}

/** Compares each bot's acknowledged state with its character's row; the characters audited, each with its differences. */
export async function auditCharacters(
  q: Queryable,
  bots: readonly { name: string; characterId: number; acked: AckedState }[],
  catalogue: Pick<Content, 'items' | 'quests'>,
  tol: Tolerances,
): Promise<CharacterAudit[]> {
  const out: CharacterAudit[] = [];
  for (const b of bots) {
    const saved = await persistedState(q, b.characterId, catalogue);
    out.push({ bot: b.name, characterId: b.characterId, differences: saved ? differences(b.acked, saved, tol) : ['no character row'] });
  }
  return out;
}

/** The item-ledger audit (`npm run audit:items`) over the soak's database. */
export function auditLedger(q: Queryable, catalogue: Pick<Content, 'items'>): Promise<AuditReport> {
  return auditItems(q, new ItemCatalogue(catalogue.items));
}
