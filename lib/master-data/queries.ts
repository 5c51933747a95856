/**
 * Read side of the master data audit: findings as a paged, filtered list for the page, a keyset
 * iterator for its CSV export, and the counts above the table.
 */
import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { isoText, rows, type Executor } from '@/db';
import { keyset, paged } from '@/db/paging';
import { MASTER_DATA_FINDINGS } from '@/db/schema';
import { filterText as text, pageNumber as page } from '@/lib/validation';

export const findingFilters = z.object({
  kind: z.enum(MASTER_DATA_FINDINGS).optional().catch(undefined),
  sku: text(100),
  page,
});
export type FindingFilters = z.infer<typeof findingFilters>;

export interface FindingRow {
  id: number;
  kind: string;
  sku: string;
  otherSku: string | null;
  field: string | null;
  erpValue: string | null;
  wmsValue: string | null;
  detectedAt: string;
}

function findingFrom(f: FindingFilters): SQL {
  const parts: SQL[] = [sql`true`];
  if (f.kind) parts.push(sql`kind = ${f.kind}`);
  if (f.sku) parts.push(sql`(sku ilike ${'%' + f.sku + '%'} or other_sku ilike ${'%' + f.sku + '%'})`);
  return sql`from master_data_findings where ${sql.join(parts, sql` and `)}`;
}
const findingSelect = sql`id::int as id, kind, sku, other_sku as "otherSku", field, erp_value as "erpValue", wms_value
  as "wmsValue", ${isoText('detected_at')} as "detectedAt"`;

export function listFindings(db: Executor, f: FindingFilters) {
  return paged<FindingRow>(db, findingFrom(f), findingSelect, sql`kind, sku, field, id`, f.page);
}

export function iterateFindings(db: Executor, f: FindingFilters): AsyncGenerator<FindingRow[]> {
  const select = sql`select ${findingSelect} ${findingFrom(f)}`;
  return keyset<FindingRow, number>(
    db,
    (after) => sql`${select} and id > ${after ?? 0} order by id`,
    (r) => r.id,
    5000,
  );
}

export async function findingCounts(db: Executor) {
  const [counts, items] = await Promise.all([
    rows<{ kind: string; n: number }>(db, sql`select kind, count(*)::int as n from master_data_findings group by 1`),
    rows<{ system: string; n: number }>(db, sql`select system, count(*)::int as n from items group by 1`),
  ]);
  return {
    byKind: Object.fromEntries(counts.map((c) => [c.kind, c.n])) as Record<string, number>,
    items: Object.fromEntries(items.map((c) => [c.system, c.n])) as Record<string, number>,
  };
}
