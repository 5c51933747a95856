import { sql } from 'drizzle-orm';
import { getHandle, readState } from '@/db';
import { logError } from '@/lib/log';
import { otherMethods } from '@/lib/http/methods';

export const dynamic = 'force-dynamic';

/**
 * Liveness and database reachability, for load balancers and the test runner: `status` `ok` or
 * `degraded` (503) with each component's state, never a driver's error text (it can name hosts,
 * users and statements); the log gets the error's class and code. `ok` and `database` (the kind)
 * stay for the scripts that read them. With a read replica (`DATABASE_READ_URL`), `reads` says
 * where pages read now (`replica` or `primary`), the replica's lag in seconds and, when reads went
 * to the primary, why (`down`, `lagging`, `not-in-recovery`); the app still serves, so the status
 * stays `ok` and `components.replica` says `down` or `lagging`.
 */
export async function GET() {
  try {
    const h = await getHandle();
    await h.db.execute(sql`select 1`);
    const read = await readState();
    const components: Record<string, string> = { database: 'ok' };
    if (read) components.replica = read.reason === null ? 'ok' : read.reason === 'lagging' ? 'lagging' : 'down';
    const reads = read
      ? { using: read.using, lagSeconds: read.lagSeconds, reason: read.reason, checkedAt: read.checkedAt }
      : { using: 'primary', lagSeconds: null, reason: null, checkedAt: null };
    return Response.json(
      { status: 'ok', components, reads, ok: true, database: h.kind },
      { headers: { 'cache-control': 'no-store' } },
    );
  } catch (e) {
    logError('health', { status: 503, component: 'database' }, e);
    return Response.json(
      { status: 'degraded', components: { database: 'down' }, ok: false },
      { status: 503, headers: { 'cache-control': 'no-store' } },
    );
  }
}

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods({ GET });
