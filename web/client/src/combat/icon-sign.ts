import type { ClientSkillJson } from '../content/types.ts';

/** What a skill's drawn icon shows (hud/skill-icons.ts paints it); pure, so Node tests it. */
export type IconSign = 'blade' | 'flame' | 'shard' | 'cross' | 'up' | 'down' | 'drops' | 'ring';

/** The sign a skill's icon carries (pure: tested in Node). */
export function iconSign(s: Pick<ClientSkillJson, 'school' | 'target' | 'effects'>): IconSign {
  const first = s.effects[0] ?? 'damage';
  if (s.target === 'point') return 'ring';
  if (first === 'heal' || first === 'healOverTime') return 'cross';
  if (first === 'buff') return 'up';
  if (first === 'debuff') return 'down';
  if (first === 'damageOverTime') return 'drops';
  if (s.school === 'fire') return 'flame';
  if (s.school === 'frost') return 'shard';
  return 'blade';
}
