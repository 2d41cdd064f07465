/**
 * The `b` word of a hit's event (DAMAGE, MELEE, HEAL: HitInfo) and of an
 * AURA event (AuraInfo): what the target's owner needs to know about the
 * attack besides its amount, packed into one i32 so an event stays one
 * fixed message (event-types.ts).
 *
 *   HitInfo:  bits 0-15 skill (0: auto-attack) | 16-18 school | 19 crit | 20 periodic | 21-27 attacker level
 *   AuraInfo: bits 0-15 skill | 16-18 effect index | 19-25 source level
 */
const LEVEL_MASK = 0x7f;

export function hitInfo(skill: number, school: number, crit: boolean, periodic: boolean, level: number): number {
  return (skill & 0xffff) | ((school & 7) << 16) | (crit ? 1 << 19 : 0) | (periodic ? 1 << 20 : 0) | ((level & LEVEL_MASK) << 21);
}

export const hitSkill = (b: number): number => b & 0xffff;
export const hitSchool = (b: number): number => (b >>> 16) & 7;
export const hitCrit = (b: number): boolean => (b & (1 << 19)) !== 0;
export const hitPeriodic = (b: number): boolean => (b & (1 << 20)) !== 0;
export const hitLevel = (b: number): number => (b >>> 21) & LEVEL_MASK;

export function auraInfo(skill: number, effect: number, level: number): number {
  return (skill & 0xffff) | ((effect & 7) << 16) | ((level & LEVEL_MASK) << 19);
}

export const auraSkill = (b: number): number => b & 0xffff;
export const auraEffect = (b: number): number => (b >>> 16) & 7;
export const auraLevel = (b: number): number => (b >>> 19) & LEVEL_MASK;
