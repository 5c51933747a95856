/** A CSV download of what a page or a table shows (the same filters, every row). */
export function CsvLink({
  href,
  label = 'Export CSV',
  small = false,
  testId,
}: {
  href: string;
  label?: string;
  small?: boolean;
  testId?: string;
}) {
  const size = small ? 'rounded px-2 py-1 text-xs' : 'rounded-md px-3 py-1.5 text-sm';
  return (
    <a
      href={href}
      download
      data-testid={testId}
      className={`shrink-0 border border-slate-300 bg-white hover:bg-slate-50 ${size}`}
    >
      {label}
    </a>
  );
}
