export function Skeleton({ className = '' }: { className?: string }) {
  return <div aria-hidden className={`animate-pulse rounded bg-slate-200 ${className}`} />;
}

/**
 * A card while its data streams in: the outline of a header and of `rows` table rows, so the page
 * does not jump when the card arrives. `name` says which card (for tests and screen readers).
 */
export function CardSkeleton({ name, rows = 4, className = '' }: { name: string; rows?: number; className?: string }) {
  return (
    <div
      aria-busy="true"
      data-testid="card-skeleton"
      data-card={name}
      className={`min-w-0 rounded-lg border border-slate-200 bg-white shadow-sm ${className}`}
    >
      <span className="sr-only">Loading {name.replace(/-/g, ' ')}…</span>
      <div className="border-b border-slate-100 px-4 py-3">
        <Skeleton className="h-4 w-56 max-w-full" />
        <Skeleton className="mt-2 h-3 w-96 max-w-full" />
      </div>
      <div className="space-y-3 px-4 py-3">
        {Array.from({ length: rows }, (_, i) => (
          <Skeleton key={i} className={`h-4 ${i % 3 === 2 ? 'w-2/3' : 'w-full'}`} />
        ))}
      </div>
    </div>
  );
}
