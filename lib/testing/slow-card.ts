/**
 * For the browser test that proves a slow card does not hold its page (e2e/streaming.spec.ts): when
 * the server runs with E2E_SLOW_CARD set (milliseconds; the e2e server only, never production), a
 * request carrying the header `x-e2e-slow-card: <card name>` makes that card wait that long on the
 * server before it reads its data. The delay is real server time inside the card's own Suspense
 * boundary, so what the test sees is what a slow query would do; without the variable the header is
 * ignored and nothing waits.
 */
import 'server-only';
import { headers } from 'next/headers';

export const slowCardsEnabled = () => !!process.env.E2E_SLOW_CARD;

export async function delayCardForTests(name: string): Promise<void> {
  const ms = Number(process.env.E2E_SLOW_CARD);
  if (!(ms > 0)) return;
  if ((await headers()).get('x-e2e-slow-card') !== name) return;
  await new Promise((resolve) => setTimeout(resolve, Math.min(ms, 30_000)));
}
