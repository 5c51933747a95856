import { Card, CardHeader } from '@/components/ui/card';
import { CsvLink } from '@/components/ui/csv-link';

/**
 * The one shape of a table on a page: a card with a header (title, description, actions and, with
 * `csvHref`, an "Export CSV" download of the same rows), then the table's filters, the table, and
 * its pager. `empty`, when the table has no rows (`rows.length === 0 && <CardEmpty …/>`), stands in
 * for the table and what follows it.
 */
export function TableCard(props: {
  title: string;
  description?: React.ReactNode;
  actions?: React.ReactNode;
  filters?: React.ReactNode;
  csvHref?: string;
  pager?: React.ReactNode;
  empty?: React.ReactNode;
  children: React.ReactNode;
  testId?: string;
}) {
  const { title, description, actions, filters, csvHref, pager, empty, children, testId } = props;
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
      {empty || children}
      {pager ? <div className="border-t border-slate-100 px-3">{pager}</div> : null}
    </Card>
  );
}
