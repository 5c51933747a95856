/**
 * Two ways to read a long list: a numbered page of it (the tables on the pages) and every row of
 * it in key order, a batch at a time (the CSV exports, which must not hold a whole table in memory
 * nor skip or repeat a row when the sort key has ties).
 */
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Executor } from './index';

/** Rows a page of a table shows. */
export const PAGE_SIZE = 50;
/** Rows one keyset step reads, unless the caller says otherwise. */
export const KEYSET_BATCH = 1000;

export interface Page<T> {
  rows: T[];
  total: number;
  page: number;
  pages: number;
}

/**
 * Page `p` (from 1) of `select … from … order by …`, with the total. A page past the last one
 * gives the last page, so a stale link still shows rows.
 */
export async function paged<T>(db: Executor, from: SQL, select: SQL, order: SQL, p: number): Promise<Page<T>> {
  const [{ n }] = await rows<{ n: number }>(db, sql`select count(*)::float8 as n ${from}`);
  const total = Number(n);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const current = Math.min(p, pages);
  const offset = (current - 1) * PAGE_SIZE;
  const list = await rows<T>(db, sql`select ${select} ${from} order by ${order} limit ${PAGE_SIZE} offset ${offset}`);
  return { rows: list, total, page: current, pages };
}

/**
 * Every row of a query in key order, `KEYSET_BATCH` at a time. `query(after)` is the statement
 * without its `limit`, reading the rows after the cursor (`after` is null for the first batch) in
 * key order; `cursorOf` takes the cursor from the last row of a batch. Each batch is one query, so
 * no transaction or server-side cursor is held open between them.
 */
export async function* keyset<T, K>(
  db: Executor,
  query: (after: K | null) => SQL,
  cursorOf: (last: T) => K,
  batch = KEYSET_BATCH,
): AsyncGenerator<T[]> {
  let after: K | null = null;
  for (;;) {
    const list: T[] = await rows<T>(db, sql`${query(after)} limit ${batch}`);
    if (!list.length) return;
    yield list;
    if (list.length < batch) return;
    after = cursorOf(list[list.length - 1]);
  }
}
