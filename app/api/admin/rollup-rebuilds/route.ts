import { getDb } from '@/db';
import { ADMIN_SESSION, authenticate } from '@/lib/auth/session';
import { handler, json } from '@/lib/http/route';
import { kickRebuild } from '@/lib/jobs/runner';
import { requestRebuild } from '@/lib/kpi/rebuild';
import { otherMethods } from '@/lib/http/methods';

export const dynamic = 'force-dynamic';

/** Starts a rebuild of the rollups from the raw log (admins, signed in): 202 { id }; 409 while one runs. */
export const POST = handler(async (req) => {
  const who = await authenticate(req, ADMIN_SESSION);
  const db = await getDb();
  const job = await requestRebuild(db, who.kind === 'user' ? who.user.email : null);
  void kickRebuild(db, job.id);
  return json({ id: job.id, status: 'queued' }, 202);
});

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { GET, HEAD, OPTIONS, PUT, PATCH, DELETE } = otherMethods({ POST });
