import { asc, eq, sql } from 'drizzle-orm';
import { rows, type Db, type Executor } from '@/db';
import { ROLES, users, type Role } from '@/db/schema';
import { hashPassword, verifyPassword } from '@/lib/auth/passwords';
import { AppError } from '@/lib/errors';
import { NOT_STORABLE, storableText } from '@/lib/validation';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function addUser(
  db: Executor,
  input: { email: string; role: string; password: string; name?: string },
): Promise<{ id: number; email: string; role: Role }> {
  const details: { field: string; message: string }[] = [];
  const email = input.email.trim().toLowerCase();
  if (!EMAIL.test(email)) details.push({ field: 'email', message: 'not an email address' });
  if (!(ROLES as readonly string[]).includes(input.role))
    details.push({ field: 'role', message: `one of ${ROLES.join(', ')}` });
  if (input.password.length < 8) details.push({ field: 'password', message: 'at least 8 characters' });
  if (!storableText(email)) details.push({ field: 'email', message: NOT_STORABLE });
  if (input.name !== undefined && !storableText(input.name)) details.push({ field: 'name', message: NOT_STORABLE });
  if (details.length) throw new AppError('validation_failed', 'The user is not valid', details);
  const existing = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email));
  if (existing.length) throw new AppError('conflict', `A user ${email} exists already`);
  const [row] = await db
    .insert(users)
    .values({
      email,
      role: input.role as Role,
      name: input.name ?? email.split('@')[0],
      passwordHash: await hashPassword(input.password),
    })
    .returning({ id: users.id, email: users.email, role: users.role });
  return row;
}

export async function listUsers(db: Executor) {
  return db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      disabled: users.disabled,
      createdAt: users.createdAt,
    })
    .from(users)
    .orderBy(asc(users.email));
}

/** The user when the email and password match an enabled account, else null. */
export async function checkCredentials(db: Executor, email: string, password: string) {
  if (!storableText(email)) return null; // no account has such an address (Postgres would refuse the query)
  const [row] = await db
    .select()
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.trim().toLowerCase()))
    .limit(1);
  // Compare even when the user is unknown, so timing does not tell which emails exist.
  const ok = await verifyPassword(
    password,
    row?.passwordHash ?? '$2b$10$0000000000000000000000000000000000000000000000000000u',
  );
  if (!row || row.disabled || !ok) return null;
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}

export interface UserChange {
  role?: unknown;
  disabled?: unknown;
}

/**
 * Changes a person's role or switches the account off (or on again). Refused (409) when it would
 * leave no enabled admin, so nobody can lock the team out of the admin page.
 */
export async function updateUser(
  db: Db,
  id: number,
  change: UserChange,
): Promise<{ id: number; email: string; role: Role; disabled: boolean }> {
  const details: { field: string; message: string }[] = [];
  if (change.role !== undefined && !(ROLES as readonly unknown[]).includes(change.role))
    details.push({ field: 'role', message: `one of ${ROLES.join(', ')}` });
  if (change.disabled !== undefined && typeof change.disabled !== 'boolean')
    details.push({ field: 'disabled', message: 'true or false' });
  if (change.role === undefined && change.disabled === undefined)
    details.push({ field: 'body', message: 'say what to change: role, disabled or both' });
  if (details.length) throw new AppError('validation_failed', 'The change is not valid', details);
  return db.transaction(async (tx) => {
    // The admins, locked: two changes at once cannot each leave the other as the last admin.
    const admins = await rows<{ id: number }>(
      tx,
      sql`select id from users where role = 'admin' and not disabled for update`,
    );
    const [user] = await tx.select().from(users).where(eq(users.id, id));
    if (!user) throw new AppError('not_found', `No user ${id}`);
    const role = (change.role ?? user.role) as Role;
    const disabled = (change.disabled ?? user.disabled) as boolean;
    const adminIds = new Set(admins.map((a) => Number(a.id)));
    if (adminIds.has(user.id) && (role !== 'admin' || disabled) && adminIds.size === 1) {
      throw new AppError('conflict', `${user.email} is the last enabled admin; make someone else an admin first`);
    }
    const [changed] = await tx
      .update(users)
      // Switching an account off ends its sessions for good; switched on again, it signs in anew.
      .set({ role, disabled, ...(disabled && !user.disabled ? { sessionsFrom: sql`now()` } : {}) })
      .where(eq(users.id, id))
      .returning({ id: users.id, email: users.email, role: users.role, disabled: users.disabled });
    return changed;
  });
}

/**
 * The role the users table gives a session of an email begun at `signedInAt` (ms) now. null: the
 * account is switched off, or was since the session began (a session from before sign-in times
 * were kept has none, and counts as older); undefined: no such user, e.g. single sign-on by a
 * claim. Sessions carry a role for hours; reading it again on every request (one lookup in the
 * email index) keeps a change by an admin from waiting for them to expire. No cache in the process:
 * Next.js may load this module once per kind of route, so one route could not tell the others
 * that a role changed.
 */
export async function accessNow(
  db: Executor,
  email: string,
  signedInAt: number | undefined,
): Promise<Role | null | undefined> {
  const [row] = await db
    .select({ role: users.role, disabled: users.disabled, sessionsFrom: users.sessionsFrom })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.toLowerCase()))
    .limit(1);
  if (!row) return undefined;
  if (row.disabled) return null;
  if (row.sessionsFrom && !(signedInAt !== undefined && signedInAt >= row.sessionsFrom.getTime())) return null;
  return row.role;
}
