/**
 * A delivery worker in a process of its own, for the tests that stand in for several app servers
 * on one database (and for a server killed mid-way): opens the database of DATABASE_URL or
 * PGLITE_DIR, runs deliverDue until no delivery is pending, then exits.
 *   tsx --conditions=react-server lib/alerts/deliver-worker.ts [--clock-offset-ms N] [--wait]
 * `--clock-offset-ms` runs its clock ahead, to reach a lease a killed process left behind without
 * waiting for it; `--wait` prints `ready` once the database is open and starts at the first line
 * on stdin, so that two workers start together. Prints one line per pass (`delivered=… …`).
 */
import { sql } from 'drizzle-orm';
import { openDatabase, rows } from '@/db';
import { deliverDue } from './deliver';

async function main() {
  const i = process.argv.indexOf('--clock-offset-ms');
  const offset = i > 0 ? Number(process.argv[i + 1]) : 0;
  const h = await openDatabase({ purpose: 'alerts-worker' });
  if (process.argv.includes('--wait')) {
    console.log('ready');
    await new Promise((ok) => process.stdin.once('data', ok));
  }
  try {
    for (;;) {
      const r = await deliverDue(h.db, { now: offset ? new Date(Date.now() + offset) : undefined, limit: 20 });
      if (r.delivered + r.retried + r.failed)
        console.log(`delivered=${r.delivered} retried=${r.retried} failed=${r.failed}`);
      const [{ n }] = await rows<{ n: number }>(
        h.db,
        sql`select count(*)::int as n from alert_deliveries where status = 'pending'`,
      );
      if (n === 0) break;
      await new Promise((ok) => setTimeout(ok, 20));
    }
  } finally {
    await h.close();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
