import { SystemBadge } from '@/components/ui/badge';
import { Time } from '@/components/ui/time';

/** A column heading: its text, or its text and 'right' for a column of numbers. */
export type Column = string | readonly [string, 'right'];

/** A table; `columns`, when given, are its headings (a table with a heading of its own writes its `<thead>`). */
export function Table({
  children,
  caption,
  columns,
}: {
  children: React.ReactNode;
  caption?: string;
  columns?: readonly Column[];
}) {
  return (
    // Focusable so keyboard users can scroll a wide table sideways. Relative, so that what is
    // positioned inside (a visually hidden label) scrolls with the table instead of widening the page.
    <div className="relative overflow-x-auto" tabIndex={0} role="region" aria-label={caption ?? 'table'}>
      <table className="w-full border-collapse text-left text-sm">
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        {columns ? (
          <thead>
            <tr>
              {columns.map((c) =>
                typeof c === 'string' ? (
                  <Th key={c}>{c}</Th>
                ) : (
                  <Th key={c[0]} align={c[1]}>
                    {c[0]}
                  </Th>
                ),
              )}
            </tr>
          </thead>
        ) : null}
        {children}
      </table>
    </div>
  );
}

/** A column that also draws its cells: its heading (`right` for numbers), its cells' classes, and a row's cell. */
export interface CellColumn<R> {
  head: string;
  align?: 'right';
  className?: string;
  cell: (row: R) => React.ReactNode;
}

/** The `At` and `System` columns of a table of dated changes that one system made. */
export const AT_SYSTEM = [
  { head: 'At', cell: (r: { at: string }) => <Time iso={r.at} /> },
  { head: 'System', cell: (r: { system: string }) => <SystemBadge system={r.system} /> },
] as const;

/**
 * A table of `rows` drawn by its `columns`: their headings, then a row each (keyed by `rowKey`,
 * `testId` its data-testid) of a cell each.
 */
export function RowsTable<R>({
  caption,
  columns,
  rows,
  rowKey,
  testId,
}: {
  caption: string;
  columns: readonly CellColumn<R>[];
  rows: readonly R[];
  rowKey: (row: R) => string | number;
  testId?: string;
}) {
  return (
    <Table caption={caption} columns={columns.map((c) => (c.align ? ([c.head, c.align] as const) : c.head))}>
      <tbody>
        {rows.map((r) => (
          <tr key={rowKey(r)} data-testid={testId}>
            {columns.map((c) => (
              <Td key={c.head} align={c.align} className={c.className}>
                {c.cell(r)}
              </Td>
            ))}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

export function Th({ children, align = 'left' }: { children?: React.ReactNode; align?: 'left' | 'right' }) {
  return (
    <th
      scope="col"
      className={`border-b border-slate-200 px-3 py-2 text-xs font-semibold uppercase tracking-wide text-slate-500 ${align === 'right' ? 'text-right' : ''}`}
    >
      {children}
    </th>
  );
}

export function Td({
  children,
  align = 'left',
  className = '',
}: {
  children?: React.ReactNode;
  align?: 'left' | 'right';
  className?: string;
}) {
  return (
    <td
      className={`border-b border-slate-100 px-3 py-2 align-top ${align === 'right' ? 'text-right tabular-nums' : ''} ${className}`}
    >
      {children}
    </td>
  );
}
