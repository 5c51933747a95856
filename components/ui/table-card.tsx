import { Card, CardHeader } from '@/components/ui/card';
import { CsvLink } from '@/components/ui/csv-link';
import { CardEmpty } from '@/components/ui/empty-state';

/** What a table card says in place of its table when it has no rows. */
export type TableEmpty = { title: string; text?: React.ReactNode };

/**
 * The one shape of a table on a page: a card with a header (title, description, actions and, with
 * `csvHref`, an "Export CSV" download of the same rows), then the table's filters, the table, and
 * its pager. When `rows` is empty, a `CardEmpty` with `empty`'s title and text stands in for the
 * table.
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
  } & ({ rows?: never; empty?: never } | { rows: readonly unknown[]; empty: TableEmpty }),
) {
  const { title, description, actions, filters, csvHref, pager, rows, empty, children, testId } = props;
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
      {empty && rows.length === 0 ? <CardEmpty title={empty.title}>{empty.text}</CardEmpty> : children}
      {pager ? <div className="border-t border-slate-100 px-3">{pager}</div> : null}
    </Card>
  );
}
