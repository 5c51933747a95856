import { Suspense } from 'react';
import { CardSkeleton } from '@/components/ui/skeleton';
import { delayCardForTests, slowCardsEnabled } from '@/lib/testing/slow-card';

async function TestDelay({ name, children }: { name: string; children: React.ReactNode }) {
  await delayCardForTests(name);
  return children;
}

/**
 * One card of a page streaming behind its own Suspense boundary and skeleton: the page sends its
 * header and every card that is ready while a slow one still reads. `children` is the card, an
 * async server component that awaits its own queries.
 */
export function CardSlot({ name, rows, className, children }: { name: string; rows?: number; className?: string; children: React.ReactNode }) {
  return (
    <Suspense fallback={<CardSkeleton name={name} rows={rows} className={className} />}>
      {slowCardsEnabled() ? <TestDelay name={name}>{children}</TestDelay> : children}
    </Suspense>
  );
}
