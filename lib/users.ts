import { asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '@/db';
import { ROLES, users, type Role } from '@/db/schema';
import { hashPassword, verifyPassword } from '@/lib/auth/passwords';
import { AppError } from '@/lib/errors';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function addUser(
  db: Executor,
  input: { email: string; role: string; password: string; name?: string },
): Promise<{ id: number; email: string; role: Role }> {
  const details: { field: string; message: string }[] = [];
  const email = input.email.trim().toLowerCase();
  if (!EMAIL.test(email)) details.push({ field: 'email', message: 'not an email address' });
  if (!(ROLES as readonly string[]).includes(input.role)) details.push({ field: 'role', message: `one of ${ROLES.join(', ')}` });
  if (input.password.length < 8) details.push({ field: 'password', message: 'at least 8 characters' });
  if (details.length) throw new AppError('validation_failed', 'The user is not valid', details);
  const existing = await db.select({ id: users.id }).from(users).where(eq(sql`lower(${users.email})`, email));
  if (existing.length) throw new AppError('conflict', `A user ${email} exists already`);
  const [row] = await db
    .insert(users)
    .values({ email, role: input.role as Role, name: input.name ?? email.split('@')[0], passwordHash: await hashPassword(input.password) })
    .returning({ id: users.id, email: users.email, role: users.role });
  return row;
}

export async function listUsers(db: Executor) {
  return db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, disabled: users.disabled, createdAt: users.createdAt })
    .from(users)
    .orderBy(asc(users.email));
}

/** The user when the email and password match an enabled account, else null. */
export async function checkCredentials(db: Executor, email: string, password: string) {
  const [row] = await db
    .select()
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.trim().toLowerCase()))
    .limit(1);
  // Compare even when the user is unknown, so timing does not tell which emails exist.
  const ok = await verifyPassword(password, row?.passwordHash ?? '$2b$10$0000000000000000000000000000000000000000000000000000u');
  if (!row || row.disabled || !ok) return null;
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}
