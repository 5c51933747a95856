import Link from 'next/link';
import { withParams, type FlatParams } from '@/lib/http/search-params';

const step = 'rounded border border-slate-300 bg-white px-2 py-1 hover:bg-slate-50';

/** Previous/next links that keep every other query parameter. */
export function Pagination({
  page,
  pages,
  total,
  params,
  noun = 'rows',
  param = 'page',
}: {
  page: number;
  pages: number;
  total: number;
  params: FlatParams;
  noun?: string;
  param?: string;
}) {
  const href = (p: number) => withParams(params, { [param]: String(p) });
  return (
    <nav aria-label="Pagination" className="flex items-center justify-between px-1 py-3 text-sm text-slate-600">
      <span className="tabular-nums">
        {total.toLocaleString('en-US')} {total === 1 ? noun.replace(/s$/, '') : noun} · page {page} of {pages}
      </span>
      <span className="flex gap-2">
        {page > 1 ? (
          <Link className={step} href={href(page - 1)}>
            ← Previous
          </Link>
        ) : null}
        {page < pages ? (
          <Link className={step} href={href(page + 1)}>
            Next →
          </Link>
        ) : null}
      </span>
    </nav>
  );
}
