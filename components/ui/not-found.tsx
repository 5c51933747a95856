import Link from 'next/link';

/**
 * What an address that names no page or no record shows (an exception removed, a link mistyped), with ways on that
 * every role may open.
 */
export function NotFoundNotice() {
  return (
    <div className="flex min-h-[60vh] items-center justify-center px-4">
      <div className="max-w-md text-center" data-testid="not-found">
        <h1 className="text-xl font-semibold">Nothing here</h1>
        <p className="mt-2 text-sm text-slate-600">
          This address names no page or record of Sync Health. The link may be mistyped, or what it pointed to is gone.
        </p>
        <p className="mt-4 flex justify-center gap-4 text-sm font-medium">
          <Link href="/" className="text-blue-700 underline">
            Overview
          </Link>
          <Link href="/exceptions" className="text-blue-700 underline">
            Exception queue
          </Link>
        </p>
      </div>
    </div>
  );
}
