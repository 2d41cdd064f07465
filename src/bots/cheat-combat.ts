/**
 * The cheat bot's combat cheats, against the cells' checks
 * (src/workers/combat/); src/bots/cheat.ts sequences them. They need more
 * than a fresh character: a point skill and a skill with a cooldown it
 * knows, a spot outside the safe areas, and points behind a thick and a
 * thin wall. The caller, who knows
 * the content and the map, says so in a CombatPlan (`--plan JSON`). Each
 * cheat has an honest near miss too (`nearMiss`): an action just outside
 * the server's tolerance for lag and misjudgement, refused for the same
 * reason but not counted as cheating.
 */
import type { ClientView } from '../protocol/client-view.ts';
import { ActionKind, ActionReason } from '../protocol/combat-codes.ts';
import { IMPOSSIBLE_RANGE, RANGE_SLACK } from '../workers/combat/targeting.ts';
import type { CheatOutcome } from './cheat.ts';
import { ANSWER_MS, type CheatClient } from './cheat-client.ts';

/**
 * The combat cheats (the cells' checks, src/workers/combat/): a point far
 * out of a skill's range, a skill used well before its cooldown ends, a
 * point behind a wall at least LOS_WALL_TILES thick. Each needs a CombatPlan.
 */
export const COMBAT_CHEATS = ['out_of_range', 'cooldown', 'line_of_sight'] as const;
export type CombatCheat = (typeof COMBAT_CHEATS)[number];

/** The ACTION refusal each combat cheat (and its honest near miss) is refused with. */
export const COMBAT_REFUSAL: Readonly<Record<CombatCheat, number>> = {
  out_of_range: ActionReason.OUT_OF_RANGE,
  cooldown: ActionReason.COOLDOWN,
  line_of_sight: ActionReason.NO_LINE_OF_SIGHT,
};

/** Where and with what a character tries the combat cheats (the caller knows the content and the map). */
export interface CombatPlan {
  /** A point skill (target "point", line of sight needed) the character knows: its number, and its range in tiles. */
  pointSkill: number;
  pointRange: number;
  /** A skill the character may use on itself (a self or ally skill) whose cooldown is at least 4 s: its number. */
  cooldownSkill: number;
  /** Points within pointRange of where the character stands: one behind a wall at least LOS_WALL_TILES thick, one behind a wall of one tile. */
  thickWall: { x: number; y: number };
  thinWall: { x: number; y: number };
}

/** Beyond a skill's range, tiles: far past the server's tolerance (a cheat), and halfway into it (an honest misjudgement). */
const FAR_PAST_RANGE = IMPOSSIBLE_RANGE + 3;
const JUST_PAST_RANGE = (RANGE_SLACK + IMPOSSIBLE_RANGE) / 2;
/** A cooldown is "running" for the cheat once more than this many seconds of it are left (more than any global cooldown). */
const RUNNING_COOLDOWN_S = 2;
/**
 * The honest near miss of a cooldown: used this share of a second before
 * the client sees it end (a client that shows its cooldowns, a little
 * early); the server counts one only more than a second early. The share
 * is left for the input's way to the server.
 */
const EARLY_S = 0.75;

/**
 * Tries one combat cheat, or with `nearMiss` its honest near miss, as
 * `plan` says, and waits for the server's answer. `refused` is true when
 * it was refused for the reason the check gives (COMBAT_REFUSAL).
 * The cooldown cheat first starts the cooldown when it is not running
 * (the skill used and its cast waited out); its near miss waits until
 * the cooldown is about to end.
 */
export async function attemptCombat(bot: CheatClient, cheat: CombatCheat, plan: CombatPlan, o: { nearMiss?: boolean } = {}): Promise<CheatOutcome> {
  const near = o.nearMiss === true;
  let evidence = '';
  let seq: number;
  switch (cheat) {
    case 'out_of_range': {
      const at = bot.position();
      if (!at) return { cheat, refused: false, evidence: 'no position', reason: 0 };
      const past = plan.pointRange + (near ? JUST_PAST_RANGE : FAR_PAST_RANGE);
      // Along x, toward the map's middle, so the point lies on the map.
      const x = at.x < bot.mapWidth / 2 ? at.x + past : at.x - past;
      evidence = `point ${past.toFixed(2)} tiles away (range ${plan.pointRange})`;
      seq = bot.act(ActionKind.SKILL, 0, plan.pointSkill, x, at.y);
      break;
    }
    case 'line_of_sight': {
      const p = near ? plan.thinWall : plan.thickWall;
      evidence = `point behind a ${near ? 'thin' : 'thick'} wall`;
      seq = bot.act(ActionKind.SKILL, 0, plan.pointSkill, p.x, p.y);
      break;
    }
    case 'cooldown': {
      if (!(await startCooldown(bot, plan.cooldownSkill))) return { cheat, refused: false, evidence: 'could not start the cooldown', reason: 0 };
      const ready = readyTick(bot.view, plan.cooldownSkill);
      if (near) await bot.until(() => bot.view.lastTick >= ready - Math.ceil(EARLY_S * bot.tickHz), (ready - bot.view.lastTick) * (1000 / bot.tickHz) + ANSWER_MS);
      const early = (ready - bot.view.lastTick) / bot.tickHz;
      evidence = `used ${early.toFixed(2)} s before the cooldown ends`;
      seq = bot.act(ActionKind.SKILL, 0, plan.cooldownSkill);
      break;
    }
  }
  const reason = await bot.refusal(seq);
  const refused = reason === COMBAT_REFUSAL[cheat];
  return { cheat, refused, evidence: `${evidence}: ${reason === 0 ? 'carried out' : `REFUSED ${reason}`}`, reason };
}

/** The zone tick skill `skill` is ready again, as the self record of `view` says (0: not known, or never used). */
export function readyTick(view: ClientView, skill: number): number {
  const me = view.self;
  if (!me) return 0;
  for (let i = 0; i < me.skillCount; i++) if (me.skills[i] === skill) return me.readyTick[i];
  return 0;
}

/** Makes sure `skill`'s cooldown is running: uses it on itself when not, and waits out its cast; false when the server refused it. */
async function startCooldown(bot: CheatClient, skill: number): Promise<boolean> {
  const running = () => readyTick(bot.view, skill) - bot.view.lastTick > RUNNING_COOLDOWN_S * bot.tickHz;
  if (running()) return true;
  const seq = bot.act(ActionKind.SKILL, 0, skill);
  if ((await bot.refusal(seq)) !== 0) return false;
  // A cast takes its time (a few seconds at most); the cooldown starts as it ends.
  return bot.until(running, 10_000);
}

/** A --plan argument (JSON of a CombatPlan): undefined when there is none, null when it is not one. */
export function parsePlan(text: string | undefined): CombatPlan | undefined | null {
  if (text === undefined) return undefined;
  let p: unknown;
  try {
    p = JSON.parse(text);
  } catch {
    return null;
  }
  const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  const point = (v: unknown) => typeof v === 'object' && v !== null && num((v as { x?: unknown }).x) && num((v as { y?: unknown }).y);
  const o = p as Partial<CombatPlan> | null;
  if (!o || !num(o.pointSkill) || !num(o.pointRange) || !num(o.cooldownSkill) || !point(o.thickWall) || !point(o.thinWall)) return null;
  return o as CombatPlan;
}
