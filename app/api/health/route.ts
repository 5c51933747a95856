import { sql } from 'drizzle-orm';
import { getHandle } from '@/db';

export const dynamic = 'force-dynamic';

/** Liveness and database reachability, for load balancers and the test runner. */
export async function GET() {
  try {
    const h = await getHandle();
    await h.db.execute(sql`select 1`);
    return Response.json({ ok: true, database: h.kind });
  } catch (e) {
    return Response.json({ ok: false, error: (e as Error).message }, { status: 503 });
  }
}
