/**
 * Operator roles and what each may do. Every account is a player; a
 * moderator watches and calms (read, kick, mute, announce, teleport); an
 * admin also bans, grants roles, restarts zones and grants or removes items. Checked on every admin
 * API route, from the account's row at the time of the request.
 */
export const ROLES = ['player', 'moderator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The least role each kind of route needs. */
export const NEEDS = {
  read: 'moderator',
  kick: 'moderator',
  mute: 'moderator',
  announce: 'moderator',
  teleport: 'moderator',
  ban: 'admin',
  roles: 'admin',
  restart: 'admin',
  /** Grants and removals of items through the ledger. */
  items: 'admin',
} as const satisfies Record<string, Role>;
export type Permission = keyof typeof NEEDS;

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

/** Whether `role` may do what `p` names. */
export function allows(role: Role, p: Permission): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(NEEDS[p]);
}
