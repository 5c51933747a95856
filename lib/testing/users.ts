/**
 * The people of a test's database as signing in resolves them: each role's demo account, checked
 * by email and password as next-auth's credentials provider does (lib/auth/options.ts) and shaped
 * as the session's user. A test of an action or a handler's core runs as that person, with no session.
 */
import type { Db } from '@/db';
import { ROLES, type Role } from '@/db/schema';
import { DEMO_PASSWORD, demoEmail, seedDemoUsers } from '@/lib/bootstrap';
import type { SessionUser } from '@/lib/auth/session';
import { checkCredentials } from '@/lib/auth/users';

/** Each role's demo user (added when missing), as signed in. */
export async function signedInUsers(db: Db): Promise<Record<Role, SessionUser>> {
  await seedDemoUsers(db);
  const out = {} as Record<Role, SessionUser>;
  for (const role of ROLES) {
    const user = await checkCredentials(db, demoEmail(role), DEMO_PASSWORD);
    if (!user) throw new Error(`the demo ${role} could not sign in`);
    out[role] = { email: user.email, name: user.name, role: user.role };
  }
  return out;
}
