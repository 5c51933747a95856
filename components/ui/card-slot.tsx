import { headers } from 'next/headers';
import { Suspense } from 'react';
import { CardSkeleton } from '@/components/ui/skeleton';
import { env } from '@/lib/env';

/**
 * For the browser test that proves a slow card does not hold its page (e2e/streaming.spec.ts): when
 * the server runs with E2E_SLOW_CARD set (milliseconds; the e2e server only, never production), a
 * request carrying the header `x-e2e-slow-card: <card name>` makes that card wait that long on the
 * server before it reads its data. The delay is real server time inside the card's own Suspense
 * boundary, as a slow query would be; without the variable the header is ignored.
 */
async function TestDelay({ name, ms, children }: { name: string; ms: number; children: React.ReactNode }) {
  if ((await headers()).get('x-e2e-slow-card') === name)
    await new Promise((resolve) => setTimeout(resolve, Math.min(ms, 30_000)));
  return children;
}

/**
 * One card of a page streaming behind its own Suspense boundary and skeleton: the page sends its
 * header and every card that is ready while a slow one still reads. `children` is the card, an
 * async server component that awaits its own queries.
 */
export function CardSlot({
  name,
  rows,
  className,
  children,
}: {
  name: string;
  rows?: number;
  className?: string;
  children: React.ReactNode;
}) {
  const slow = env().E2E_SLOW_CARD;
  return (
    <Suspense fallback={<CardSkeleton name={name} rows={rows} className={className} />}>
      {slow > 0 ? (
        <TestDelay name={name} ms={slow}>
          {children}
        </TestDelay>
      ) : (
        children
      )}
    </Suspense>
  );
}
