/**
 * One admin list as a card (lib/admin/lists declares it): the add/change form, the table with a
 * Remove button per row, and the CSV link. The card loads its own rows behind its own Suspense,
 * so a slow list never holds the page.
 */
import { Suspense } from 'react';
import { ListForm } from '@/components/admin/list-form';
import { RemoveButton } from '@/components/admin/remove-button';
import { Badge } from '@/components/ui/badge';
import { CardBody } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, Td, Th } from '@/components/ui/table';
import { TableCard } from '@/components/ui/table-card';
import { Time } from '@/components/ui/time';
import type { AdminList, Cell } from '@/lib/admin/list';
import { requireCapability } from '@/lib/auth/session';
import type { FormAction } from '@/lib/http/action-state';
import { readDb } from '@/lib/http/read';

export interface AdminListProps<Row> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any input, saved and key types
  def: AdminList<Row, any, any, any>;
  /** The list's save and remove server actions (the page binds them: components never import from app). */
  save?: FormAction;
  remove?: FormAction;
  /** A form of the card's own in place of the declared fields, given the rows. */
  form?: (rows: Row[]) => React.ReactNode | Promise<React.ReactNode>;
  /** Columns the card renders its own way, by column key. */
  cells?: Record<string, (row: Row) => React.ReactNode>;
  /** More under the form. */
  children?: React.ReactNode;
}

function CellView({ cell }: { cell: Cell }) {
  if (cell === null || cell === undefined) return '—';
  if (typeof cell !== 'object') return cell;
  if ('time' in cell) return <Time iso={cell.time instanceof Date ? cell.time.toISOString() : cell.time} />;
  if ('badge' in cell) {
    return (
      <>
        <Badge tone={cell.tone}>{cell.badge}</Badge>
        {cell.detail ? <div className="mt-1 max-w-xs text-xs text-red-700">{cell.detail}</div> : null}
      </>
    );
  }
  return (
    <>
      {cell.text}
      <span className="text-slate-500">{cell.muted}</span>
    </>
  );
}

async function AdminListBody<Row>({ def, save, remove, form, cells = {}, children }: AdminListProps<Row>) {
  await requireCapability(def.capability);
  const rows = await def.load(await readDb());
  const fields = def.write?.form;
  const top = form ? await form(rows) : fields && save ? <ListForm action={save} {...fields} /> : null;
  const removal = remove ? def.remove : undefined;
  return (
    <TableCard
      title={def.title}
      description={def.description}
      csvHref={`/api/export/admin/${def.name}`}
      testId={`admin-list-${def.name}`}
    >
      {top || children ? (
        <CardBody>
          {top}
          {children}
        </CardBody>
      ) : null}
      {rows.length || !def.empty ? (
        <Table caption={def.caption}>
          <thead>
            <tr>
              {def.columns.map((c) => (
                <Th key={c.key} align={c.align}>
                  {c.header}
                </Th>
              ))}
              {removal ? <Th /> : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={def.rowKey(row)} data-testid={def.rowTestId} title={def.rowTitle?.(row)}>
                {def.columns.map((c) => (
                  <Td key={c.key} align={c.align} className={c.className}>
                    {cells[c.key] ? cells[c.key](row) : <CellView cell={c.cell(row)} />}
                  </Td>
                ))}
                {removal ? (
                  <Td>
                    {(removal.when?.(row) ?? true) ? (
                      <RemoveButton
                        action={remove!}
                        values={removal.values(row)}
                        label={removal.label?.(row)}
                        verb={removal.verb}
                      />
                    ) : null}
                  </Td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </Table>
      ) : (
        <CardBody>
          <p className="text-sm text-slate-500">{def.empty}</p>
        </CardBody>
      )}
    </TableCard>
  );
}

/** While a list loads: its title and description, and grey bars where the form and rows will be. */
export function AdminListSkeleton({ title, description }: { title: string; description?: string }) {
  return (
    <TableCard title={title} description={description}>
      <CardBody className="space-y-3">
        {['h-8 w-2/3', 'h-4 w-full', 'h-4 w-full', 'h-4 w-5/6'].map((size, i) => (
          <Skeleton key={i} className={size} />
        ))}
      </CardBody>
    </TableCard>
  );
}

export function AdminListCard<Row>(props: AdminListProps<Row>) {
  return (
    <Suspense fallback={<AdminListSkeleton title={props.def.title} description={props.def.description} />}>
      <AdminListBody {...props} />
    </Suspense>
  );
}
