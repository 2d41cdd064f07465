import type { Db } from '../persistence/db.ts';
import { listStaff, setRole, writeAudit } from './admin-store.ts';
import { isRole, ROLES } from './roles.ts';

export const ADMIN_USAGE = `usage: npm run admin -- <command>
  grant USERNAME ROLE   give an account a role (${ROLES.join(', ')})
  revoke USERNAME       make an account a player again
  list                  accounts above player, with their roles`;

/** What a command printed and the exit code it ends with. */
export interface CommandResult {
  code: number;
  out: string;
}

/**
 * One `npm run admin` command against an open, migrated database. The
 * command line is how the first admin is made (there is no default
 * password); every change is written to the audit log as done by "cli".
 */
export async function runRolesCommand(db: Db, args: readonly string[]): Promise<CommandResult> {
  const [cmd, ...rest] = args;
  if (cmd === 'list' && rest.length === 0) {
    const staff = await listStaff(db);
    if (staff.length === 0) return { code: 0, out: 'no moderators or admins yet (grant one: npm run admin -- grant USERNAME admin)' };
    return { code: 0, out: staff.map((a) => `${a.username}\t${a.role}`).join('\n') };
  }
  if ((cmd === 'grant' && rest.length === 2) || (cmd === 'revoke' && rest.length === 1)) {
    const username = rest[0]!;
    const role = cmd === 'revoke' ? 'player' : rest[1]!;
    if (!isRole(role)) return { code: 2, out: `unknown role "${role}"; one of ${ROLES.join(', ')}` };
    const account = await setRole(db, username, role);
    if (!account) return { code: 1, out: `no account named "${username}" (register it on the account page first)` };
    await writeAudit(db, { actorId: null, actor: 'cli', action: cmd === 'grant' ? 'role.grant' : 'role.revoke', target: `account:${account.username}`, reason: 'command line', detail: { role } });
    return { code: 0, out: `${account.username} is now ${account.role}` };
  }
  return { code: 2, out: ADMIN_USAGE };
}
