/**
 * First start of the embedded demo: 30 days of simulated traffic up to now for 3 facilities,
 * every scenario present, plus the work people would have done on older exceptions, so a new
 * user opens a dashboard that looks like a running operation. Runs once per database.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/db';
import { ensurePartitions } from '@/db/partitions';
import { appMeta } from '@/db/schema';
import { demoEmail } from '@/lib/bootstrap';
import { loadSimulation } from '@/lib/simulator/load';
import { simulate } from '@/lib/simulator/simulate';
import { reconcileNow } from '@/lib/recon/reconcile';
import { seedDemoAlerts } from './alerts';

export const DEMO_OPTIONS = { facilities: 3, days: 30, messagesPerDay: 800, seed: 42 };

export async function ensureDemoData(db: Db, log: (line: string) => void = (l) => console.log(l)): Promise<void> {
  const [done] = await db.select().from(appMeta).where(eq(appMeta.key, 'demo_data'));
  if (done) return;
  const started = Date.now();
  log('[sync-health] loading demo data: 30 days, 3 facilities, every fault scenario…');
  const sim = simulate({ ...DEMO_OPTIONS, until: new Date() });
  let lastPct = -1;
  await loadSimulation(db, sim, {
    source: 'demo',
    onProgress: (n, total) => {
      const pct = Math.floor((n / total) * 10) * 10;
      if (pct !== lastPct) {
        lastPct = pct;
        log(
          `[sync-health] demo data ${String(pct).padStart(3)}%  (${n.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} messages)`,
        );
      }
    },
  });
  await simulateTeamWork(db);
  for (const facility of sim.facilities) {
    const run = await reconcileNow(db, facility, demoEmail('finance'));
    log(`[sync-health] reconciled ${facility}: ${Object.values(run.counts).reduce((a, b) => a + b, 0)} differences`);
  }
  await seedDemoAlerts(db);
  log('[sync-health] demo alerts: three rules on a disabled example channel, evaluated');
  await db.insert(appMeta).values({
    key: 'demo_data',
    value: { ...DEMO_OPTIONS, loadedAt: new Date().toISOString(), messages: sim.messages.length },
  });
  log(`[sync-health] demo data ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Most exceptions older than three days were worked by the team; some newer ones are acknowledged and owned. */
async function simulateTeamWork(db: Db) {
  // The work is dated when it was done, back to the simulation's first day: those months' audit partitions.
  await ensurePartitions(
    db,
    'exception_audit',
    new Date(Date.now() - (DEMO_OPTIONS.days + 1) * 86_400_000),
    new Date(),
  );
  const ops = demoEmail('ops');
  const it = demoEmail('it');
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      with done as (
        update exceptions set state = 'resolved', resolved_at = opened_at + ((id % 20) + 1) * interval '1 hour',
          resolved_by = case when id % 2 = 0 then ${ops} else ${it} end, effort_minutes = 5 + (id % 40),
          note = 'Corrected at the source and replayed', owner = case when id % 2 = 0 then 'ops' else 'it' end,
            updated_at = now()
        where state = 'open' and opened_at < now() - interval '3 days' and id % 6 <> 0
        returning id, resolved_by, resolved_at, effort_minutes
      )
      insert into exception_audit (exception_id, at, actor, action, detail)
      select id, resolved_at, resolved_by, 'resolved', jsonb_build_object('effortMinutes', effort_minutes, 'note',
        'Corrected at the source and replayed') from done`);
    await tx.execute(sql`
      with ack as (
        update exceptions set state = 'acknowledged', acknowledged_at = opened_at + interval '2 hours', owner = case
          when id % 2 = 0 then ${ops} else ${it} end, updated_at = now()
        where state = 'open' and id % 4 = 1
        returning id, owner, acknowledged_at
      )
      insert into exception_audit (exception_id, at, actor, action, detail)
      select id, acknowledged_at, owner, 'acknowledged', jsonb_build_object('owner', owner) from ack`);
  });
}
