/**
 * Ownership conflicts (lib/detect/ownership.ts) over the log: the field changes reported by the
 * messages of a window (and of the 24 hours before it, for a shared field changed on both sides),
 * checked against the ownership matrix.
 */
import 'server-only';
import { asc, sql } from 'drizzle-orm';
import { andFacility, inWindow, rows, type Executor } from '@/db';
import { ownershipMatrix } from '@/db/schema';
import {
  SHARED_WINDOW_MS,
  fieldChangesOf,
  ownershipConflicts,
  type OwnershipConflict,
  type ReportingMessage,
} from '@/lib/detect/ownership';

export async function ownershipConflictsIn(
  db: Executor,
  w: { from: Date; to: Date; facility: string | null },
): Promise<OwnershipConflict[]> {
  const fac = andFacility('m.facility', w.facility);
  const since = new Date(w.from.getTime() - SHARED_WINDOW_MS);
  const [matrix, messages] = await Promise.all([
    db.select().from(ownershipMatrix).orderBy(asc(ownershipMatrix.dataObject), asc(ownershipMatrix.field)),
    rows<ReportingMessage>(
      db,
      sql`select m.message_id as "messageId", m.direction, m.facility, m.sku, m.payload, (extract(epoch from
        m.created_at) * 1000)::float8 as "createdMs"
          from integration_messages m
          where ${inWindow('m.created_at', { from: since, to: w.to })}
            and jsonb_typeof(m.payload) = 'object' and (m.payload ? 'field' or m.payload ? 'changes') ${fac}`,
    ),
  ]);
  const changes = messages.flatMap((m) => fieldChangesOf({ ...m, createdMs: Number(m.createdMs) }));
  return ownershipConflicts(changes, matrix).filter((c) => c.change.atMs >= w.from.getTime());
}
