'use client';

import { useEffect } from 'react';

/** A part of the dashboard failed to load: say so, keep the shell, offer a retry. */
export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div
      className="mx-auto max-w-lg rounded-lg border border-red-200 bg-red-50 p-6 text-center"
      data-testid="page-error"
    >
      <h1 className="text-lg font-semibold text-red-900">This page could not be loaded</h1>
      <p className="mt-2 text-sm text-red-800">
        The server or the database did not answer as expected{error.digest ? ` (reference ${error.digest})` : ''}.
        Nothing you entered was lost.
      </p>
      <button
        type="button"
        onClick={reset}
        className="mt-4 rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800"
      >
        Try again
      </button>
    </div>
  );
}
