import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { pgErrorCode, type Executor } from '@/db';
import { apiKeys } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { DEFAULT_KEY_SCOPES, KEY_SCOPES, type KeyScope } from '@/lib/auth/route-policy';
import { storableText } from '@/lib/validation';

const PREFIX = 'shk_';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * The scopes asked for, checked: a non-empty set of KEY_SCOPES, each given once, in KEY_SCOPES
 * order. Comma lists are split, so `['ingest,read', 'admin']` is what `--scope` repeated gives.
 */
export function parseKeyScopes(asked: readonly string[]): KeyScope[] {
  const words = asked
    .flatMap((s) => s.split(','))
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const unknown = words.filter((w) => !(KEY_SCOPES as readonly string[]).includes(w));
  if (unknown.length || !words.length) {
    const problem = unknown.length ? `unknown scope ${unknown.map((u) => JSON.stringify(u)).join(', ')}` : 'no scope';
    throw new AppError('validation_failed', `A key needs one or more of the scopes ${KEY_SCOPES.join(', ')}.`, [
      { field: 'scope', message: `${problem}; valid scopes: ${KEY_SCOPES.join(', ')}` },
    ]);
  }
  return KEY_SCOPES.filter((s) => words.includes(s));
}

/** Creates a key holding `scopes` (default ingest and read, SPEC 7) and returns it once; only its hash is stored. */
export async function createApiKey(
  db: Executor,
  name: string,
  scopes: readonly string[] = DEFAULT_KEY_SCOPES,
): Promise<{ name: string; key: string; prefix: string; scopes: KeyScope[] }> {
  const clean = name.trim();
  if (!/^[\w.\-@ ]{1,64}$/.test(clean)) {
    throw new AppError('validation_failed', 'A key name is 1 to 64 letters, digits, spaces or . - _ @', [
      { field: 'name', message: 'invalid name' },
    ]);
  }
  const granted = parseKeyScopes(scopes);
  const key = PREFIX + randomBytes(24).toString('base64url');
  const prefix = key.slice(0, PREFIX.length + 6);
  try {
    await db.insert(apiKeys).values({ name: clean, prefix, keyHash: hashApiKey(key), scopes: granted });
  } catch (e) {
    if (pgErrorCode(e) === '23505') {
      throw new AppError(
        'conflict',
        `An active API key named "${clean}" exists already; revoke it first or pick another name.`,
      );
    }
    throw e;
  }
  return { name: clean, key, prefix, scopes: granted };
}

export async function listApiKeys(db: Executor) {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      scopes: apiKeys.scopes,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .orderBy(asc(apiKeys.name), asc(apiKeys.createdAt));
}

/** Revokes the active key of that name; false when there is none. */
export async function revokeApiKey(db: Executor, name: string): Promise<boolean> {
  if (!storableText(name)) return false; // no key has such a name
  const done = await db
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.name, name.trim()), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return done.length > 0;
}

export interface VerifiedKey {
  id: number;
  name: string;
  scopes: KeyScope[];
}

/** Only the scopes this code knows: a stray word in the column grants nothing. */
const knownScopes = (stored: readonly string[]) => KEY_SCOPES.filter((s) => stored.includes(s));

/** The key's name and scopes when it is valid and not revoked, else null. */
export async function verifyApiKey(db: Executor, key: string): Promise<VerifiedKey | null> {
  if (!key.startsWith(PREFIX) || key.length > 200) return null;
  const hash = hashApiKey(key);
  const [row] = await db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      keyHash: apiKeys.keyHash,
      scopes: apiKeys.scopes,
      fresh: sql<boolean>`${apiKeys.lastUsedAt} >= now() - interval '1 minute'`,
    })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (!row || !timingSafeEqual(Buffer.from(row.keyHash), Buffer.from(hash))) return null;
  // At most once a minute per key, so hot ingest and KPI polling do not write (or wait) on every call.
  const found = { id: row.id, name: row.name, scopes: knownScopes(row.scopes) };
  if (row.fresh) return found;
  await db
    .update(apiKeys)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(
        eq(apiKeys.id, row.id),
        sql`(${apiKeys.lastUsedAt} is null or ${apiKeys.lastUsedAt} < now() - interval '1 minute')`,
      ),
    );
  return found;
}
