/**
 * The origins an admin allows to frame the wall screen (/tiles) in an iframe: each an http(s)
 * origin without a path, kept in `app_meta` under `tiles_frame_ancestors`. proxy.ts turns them
 * into `frame-ancestors` on /tiles (every other page: 'none'). Read through a short cache, as the
 * wall screen reloads often; a change made on this server shows at once, on others within
 * `CACHE_MS`.
 */
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { getDb, type Executor } from '@/db';
import { appMeta } from '@/db/schema';
import { AppError } from '@/lib/errors';

const KEY = 'tiles_frame_ancestors';
const CACHE_MS = 10_000;
export const MAX_FRAMING_ORIGINS = 20;

/** An origin as a CSP source: scheme, host and port only, lower case, no path, query or wildcard. */
export const frameOrigin = z
  .string({ message: 'is required' })
  .trim()
  .min(1, 'is required')
  .max(200, 'at most 200 characters')
  .transform((s, ctx) => {
    let u: URL | null = null;
    try {
      u = new URL(s);
    } catch {
      // reported below
    }
    const bare = /^https?:\/\/[^/?#\s*;,'"]+\/?$/i.test(s);
    if (!u || !bare || (u.protocol !== 'http:' && u.protocol !== 'https:') || u.username || u.password) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be an http:// or https:// origin without a path, like https://wall.example.com',
      });
      return z.NEVER;
    }
    return u.origin;
  });

export interface FramingOrigin {
  origin: string;
}

export async function loadFramingOrigins(db: Executor): Promise<FramingOrigin[]> {
  const [row] = await db.select({ value: appMeta.value }).from(appMeta).where(eq(appMeta.key, KEY));
  const list = Array.isArray(row?.value) ? (row.value as unknown[]) : [];
  return list
    .filter((o): o is string => typeof o === 'string' && frameOrigin.safeParse(o).success)
    .map((origin) => ({ origin }));
}

async function store(db: Executor, origins: string[]) {
  await db
    .insert(appMeta)
    .values({ key: KEY, value: origins })
    .onConflictDoUpdate({ target: appMeta.key, set: { value: origins, updatedAt: sql`now()` } });
  cache().at = 0;
}

export async function addFramingOrigin(db: Executor, origin: string): Promise<{ created: boolean }> {
  const now = (await loadFramingOrigins(db)).map((o) => o.origin);
  if (now.includes(origin)) return { created: false };
  if (now.length >= MAX_FRAMING_ORIGINS)
    throw new AppError('validation_failed', `At most ${MAX_FRAMING_ORIGINS} origins may frame the wall screen.`, [
      `origin: at most ${MAX_FRAMING_ORIGINS} origins`,
    ]);
  await store(db, [...now, origin]);
  return { created: true };
}

export async function removeFramingOrigin(db: Executor, origin: string) {
  const now = (await loadFramingOrigins(db)).map((o) => o.origin);
  if (!now.includes(origin))
    throw new AppError('not_found', `${origin.slice(0, 200)} may not frame the wall screen anyway.`);
  await store(
    db,
    now.filter((o) => o !== origin),
  );
}

function cache(): { at: number; origins: string[] } {
  const g = globalThis as unknown as { __syncHealthFraming?: { at: number; origins: string[] } };
  return (g.__syncHealthFraming ??= { at: 0, origins: [] });
}

/** For proxy.ts: the origins that may frame /tiles now ([] when none, or when the database cannot say). */
export async function tilesFrameAncestors(): Promise<string[]> {
  const c = cache();
  if (Date.now() - c.at < CACHE_MS) return c.origins;
  try {
    c.origins = (await loadFramingOrigins(await getDb())).map((o) => o.origin);
  } catch (e) {
    console.error('[framing] could not read the origins allowed to frame /tiles; none are allowed', e);
    c.origins = [];
  }
  c.at = Date.now();
  return c.origins;
}
