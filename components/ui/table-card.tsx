/**
 * A card holding one table: title, description, actions and a CSV link in its header, then the
 * filters, the table and the pager.
 */
export function TableCard(props: {
  title: string;
  description?: React.ReactNode;
  actions?: React.ReactNode;
  filters?: React.ReactNode;
  csvHref?: string;
  pager?: React.ReactNode;
  children: React.ReactNode;
  testId?: string;
}) {
  const { title, description, actions, filters, csvHref, pager, children, testId } = props;
  return (
    <section data-testid={testId} className="min-w-0 rounded-lg border border-slate-200 bg-white shadow-sm">
      <header className="flex items-start justify-between gap-4 border-b border-slate-100 px-4 py-3">
        <div>
          <h2 className="text-sm font-semibold text-slate-800">{title}</h2>
          {description ? <div className="mt-0.5 text-xs text-slate-500">{description}</div> : null}
        </div>
        {actions || csvHref ? (
          <div className="flex shrink-0 items-center gap-2">
            {actions}
            {csvHref ? (
              <a
                href={csvHref}
                download
                className="shrink-0 rounded border border-slate-300 bg-white px-2 py-1 text-xs hover:bg-slate-50"
              >
                Export CSV
              </a>
            ) : null}
          </div>
        ) : null}
      </header>
      {filters ? <div className="border-b border-slate-100 px-4 py-3">{filters}</div> : null}
      {children}
      {pager ? <div className="border-t border-slate-100 px-4 py-2">{pager}</div> : null}
    </section>
  );
}
