import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { pgErrorCode, type Executor } from '@/db';
import { apiKeys } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { storableText } from '@/lib/validation';

const PREFIX = 'shk_';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Creates a key and returns it once; only its hash is stored. */
export async function createApiKey(db: Executor, name: string): Promise<{ name: string; key: string; prefix: string }> {
  const clean = name.trim();
  if (!/^[\w.\-@ ]{1,64}$/.test(clean)) {
    throw new AppError('validation_failed', 'A key name is 1 to 64 letters, digits, spaces or . - _ @', [
      { field: 'name', message: 'invalid name' },
    ]);
  }
  const key = PREFIX + randomBytes(24).toString('base64url');
  const prefix = key.slice(0, PREFIX.length + 6);
  try {
    await db.insert(apiKeys).values({ name: clean, prefix, keyHash: hashApiKey(key) });
  } catch (e) {
    if (pgErrorCode(e) === '23505') {
      throw new AppError(
        'conflict',
        `An active API key named "${clean}" exists already; revoke it first or pick another name.`,
      );
    }
    throw e;
  }
  return { name: clean, key, prefix };
}

export async function listApiKeys(db: Executor) {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
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

/** The key's name when it is valid and not revoked, else null. */
export async function verifyApiKey(db: Executor, key: string): Promise<{ id: number; name: string } | null> {
  if (!key.startsWith(PREFIX) || key.length > 200) return null;
  const hash = hashApiKey(key);
  const [row] = await db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      keyHash: apiKeys.keyHash,
      fresh: sql<boolean>`${apiKeys.lastUsedAt} >= now() - interval '1 minute'`,
    })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (!row || !timingSafeEqual(Buffer.from(row.keyHash), Buffer.from(hash))) return null;
  // At most once a minute per key, so hot ingest and KPI polling do not write (or wait) on every call.
  if (row.fresh) return { id: row.id, name: row.name };
  await db
    .update(apiKeys)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(
        eq(apiKeys.id, row.id),
        sql`(${apiKeys.lastUsedAt} is null or ${apiKeys.lastUsedAt} < now() - interval '1 minute')`,
      ),
    );
  return { id: row.id, name: row.name };
}
