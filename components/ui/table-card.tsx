import { Card, CardHeader } from '@/components/ui/card';
import { CsvLink } from '@/components/ui/csv-link';
import { CardEmpty } from '@/components/ui/empty-state';
import { Pagination } from '@/components/ui/pagination';
import type { Page } from '@/db/paging';
import type { FlatParams } from '@/lib/http/search-params';

/** What a table card says in place of its table when it has no rows. */
export type TableEmpty = { title: string; text?: React.ReactNode };

/**
 * A numbered page of a list (`of`, from `db/paging.ts`): the card shows its rows and, under the
 * table, the pager that keeps the address's other parameters (`params`), counts the `noun` and
 * sets `param` (`page` unless said).
 */
export type TablePage = { of: Page<unknown>; params: FlatParams; noun: string; param?: string };

/**
 * The one shape of a table on a page: a card with a header (title, description, actions and, with
 * `csvHref`, an "Export CSV" download of the same rows), then the table's filters, the table, and
 * its pager: `pager`, or the one of `page`, a numbered page of a list. When `rows` (or the page's
 * rows) is empty, a `CardEmpty` with `empty`'s title and text stands in for the table.
 */
export function TableCard(
  props: {
    title: string;
    description?: React.ReactNode;
    actions?: React.ReactNode;
    filters?: React.ReactNode;
    csvHref?: string;
    pager?: React.ReactNode;
    children: React.ReactNode;
    testId?: string;
  } & (
    | { rows?: never; page?: never; empty?: never }
    | { rows: readonly unknown[]; page?: never; empty: TableEmpty }
    | { rows?: never; page: TablePage; pager?: never; empty: TableEmpty }
  ),
) {
  const { title, description, actions, filters, csvHref, page, empty, children, testId } = props;
  const rows = page ? page.of.rows : props.rows;
  const pager = page ? (
    <Pagination
      page={page.of.page}
      pages={page.of.pages}
      total={page.of.total}
      params={page.params}
      noun={page.noun}
      param={page.param}
    />
  ) : (
    props.pager
  );
  const csv = csvHref ? <CsvLink href={csvHref} small /> : null;
  return (
    <Card testId={testId}>
      <CardHeader
        title={title}
        description={description}
        actions={
          actions || csv ? (
            <div className="flex shrink-0 items-center gap-2">
              {actions}
              {csv}
            </div>
          ) : undefined
        }
      />
      {filters ? <div className="border-b border-slate-100 px-4 py-2 text-sm">{filters}</div> : null}
      {empty && rows?.length === 0 ? <CardEmpty title={empty.title}>{empty.text}</CardEmpty> : children}
      {pager ? <div className="border-t border-slate-100 px-3">{pager}</div> : null}
    </Card>
  );
}
