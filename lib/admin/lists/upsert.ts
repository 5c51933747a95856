/** Saving a list row by its key: inserted when new, changed in place when the key exists. */
import type { PgColumn, PgInsertValue, PgTable, PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { inserted, type Executor } from '@/db';

export async function upsert<T extends PgTable>(
  db: Executor,
  table: T,
  target: PgColumn | PgColumn[],
  values: PgInsertValue<T>,
  set: PgUpdateSetSource<T>,
): Promise<{ created: boolean }> {
  const [r] = await db
    .insert(table)
    .values(values)
    .onConflictDoUpdate({ target, set })
    .returning({ created: inserted });
  return r as { created: boolean };
}
