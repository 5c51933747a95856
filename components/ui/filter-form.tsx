/** Parameters the form does not show (the window, the facility), carried along as hidden fields. */
export function HiddenFields({ values }: { values: Record<string, string | null | undefined> }) {
  return Object.entries(values).map(([k, v]) => (v ? <input key={k} type="hidden" name={k} value={v} /> : null));
}

/**
 * A table's filters as a plain GET form: the choice lands in the URL and works without JavaScript.
 * `keep` carries parameters the form does not show (the window, the facility) as hidden fields.
 */
export function FilterForm({
  keep = {},
  submit = 'Filter',
  bar = false,
  testId,
  children,
  after,
}: {
  keep?: Record<string, string | null | undefined>;
  submit?: string;
  /** A bar of its own (bordered, on the page) rather than a card's filter row. */
  bar?: boolean;
  testId?: string;
  children: React.ReactNode;
  /** What follows the submit button (a "Clear filters" link, a note). */
  after?: React.ReactNode;
}) {
  const frame = bar ? 'rounded-lg border border-slate-200 bg-white px-3 py-2 shadow-sm' : '';
  return (
    <form method="get" className={`flex flex-wrap items-end gap-3 text-sm ${frame}`} data-testid={testId}>
      <HiddenFields values={keep} />
      {children}
      <button type="submit" className="rounded-md bg-slate-800 px-3 py-1.5 font-medium text-white hover:bg-slate-900">
        {submit}
      </button>
      {after}
    </form>
  );
}
