import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadContent } from '../content/schema/load.ts';
import type { Content } from '../content/schema/kinds.ts';

/** How a bot may use one skill: what the content says of its target, cost and range. */
export interface BookSkill {
  target: 'self' | 'enemy' | 'ally' | 'point';
  cost: number;
  range: number;
  castMs: number;
  /** It heals (a heal or heal over time): used on oneself when hurt. */
  heals: boolean;
  /** The server refuses it without a free line to the target on the walkability grid. */
  sight: boolean;
}

/**
 * What a fighting bot knows of the content it plays, as plain data (it
 * travels to the bot workers in workerData): which NPC templates it may
 * fight and how each skill is used. Template and skill numbers are the
 * wire's (1-based in file order, as the cells number them). Which skills a
 * bot has, and when they are ready, come from its self record.
 */
export interface FightBook {
  /** hostile[template] is 1 for an NPC template that can be fought. */
  hostile: number[];
  /** skills[number]; null for 0 (the auto-attack). */
  skills: (BookSkill | null)[];
}

/** The book of validated content. */
export function fightBookOf(content: Pick<Content, 'npcs' | 'skills'>): FightBook {
  return {
    hostile: [0, ...content.npcs.map((n) => (n.hostility === 'friendly' ? 0 : 1))],
    skills: [
      null,
      ...content.skills.map((s) => ({
        target: s.target,
        cost: s.cost,
        range: s.range,
        castMs: s.castMs,
        heals: s.effects.some((e) => e.type === 'heal' || e.type === 'healOverTime'),
        sight: s.lineOfSight,
      })),
    ],
  };
}

/**
 * Reads the content folder `dir` (the JSON files, validated as the compiler
 * does). Throws naming the folder when it holds no valid content: a bot
 * must fight the server's content, and a wrong folder would have it use
 * skills by the wrong numbers.
 */
export function loadFightBook(dir: string): FightBook {
  const r = loadContent((name) => {
    try {
      return readFileSync(join(dir, name), 'utf8');
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return undefined;
      throw err;
    }
  });
  if (!r.ok) throw new Error(`--content ${dir}: ${r.errors.length} problem(s), the first: ${r.errors[0].file} ${r.errors[0].path}: ${r.errors[0].message}`);
  if (r.content.npcs.length === 0 && r.content.skills.length === 0) throw new Error(`--content ${dir}: no npcs.json or skills.json`);
  return fightBookOf(r.content);
}
