import { sql } from 'drizzle-orm';
import { getHandle } from '@/db';
import { logError } from '@/lib/log';
import { otherMethods } from '@/lib/http/methods';

export const dynamic = 'force-dynamic';

/**
 * Liveness and database reachability, for load balancers and the test runner: `status` `ok` or
 * `degraded` (503) with each component's state, never a driver's error text (it can name hosts,
 * users and statements); the log gets the error's class and code. `ok` and `database` (the kind)
 * stay for the scripts that read them.
 */
export async function GET() {
  try {
    const h = await getHandle();
    await h.db.execute(sql`select 1`);
    return Response.json({ status: 'ok', components: { database: 'ok' }, ok: true, database: h.kind });
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
