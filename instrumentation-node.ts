import { getHandle, pgliteDir } from '@/db';
import { annotateLock } from '@/db/pglite-lock';
import { bootstrap, demoMode } from '@/lib/bootstrap';
import { ensureDemoData } from '@/lib/demo/ensure-demo-data';
import { env, EnvError } from '@/lib/env';
import { issueCliToken } from '@/lib/cli/token';
import { expireJobHeartbeats } from '@/lib/kpi/rebuild';
import { expireHeartbeats } from '@/lib/recon/reconcile';
import { startSweeper, sweep } from '@/lib/jobs/runner';
import { watchFolder } from '@/lib/imports/watch';
import { evaluateAlerts } from '@/lib/alerts/evaluate';
import { startAlertLoop } from '@/lib/alerts/loop';
import { startRetentionTimer } from '@/lib/retention/schedule';

/** The environment, or the process ends: a server must not start on values it cannot use. */
function checkedEnv() {
  try {
    return env();
  } catch (e) {
    if (!(e instanceof EnvError)) throw e;
    console.error(`[sync-health] ${e.message}`);
    process.exit(1);
  }
}

export async function startServerSide() {
  const { PORT, SKIP_DEMO_DATA, IMPORT_WATCH_DIR, ALERTS_INTERVAL_SECONDS } = checkedEnv();
  const handle = await getHandle('server');
  annotateLock(pgliteDir(), { url: `http://127.0.0.1:${PORT}`, token: issueCliToken() });
  await bootstrap(handle.db);
  console.log(`[sync-health] database ready (${handle.kind}: ${handle.location})`);
  if (demoMode() && !SKIP_DEMO_DATA) await ensureDemoData(handle.db);
  // Reconciliations and rebuilds a stopped server left running resume now. The embedded database has one
  // process by construction, so its leftovers are dead at once; on Postgres the heartbeat decides.
  if (handle.kind === 'pglite') {
    await expireHeartbeats(handle.db);
    await expireJobHeartbeats(handle.db);
  }
  await sweep(handle.db);
  startSweeper(handle.db);
  // Alerts (SPEC 9): every server evaluates and delivers; the outbox and its row locks keep one
  // notification per event and channel whatever the number of servers.
  startAlertLoop(handle.db, { intervalSeconds: ALERTS_INTERVAL_SECONDS, evaluate: evaluateAlerts });
  // Retention once a day (SPEC 11): the first check a minute after start, then hourly.
  startRetentionTimer(handle.db);
  if (IMPORT_WATCH_DIR) {
    watchFolder(handle.db, IMPORT_WATCH_DIR);
    console.log(`[sync-health] importing new files from ${IMPORT_WATCH_DIR}/<format>/`);
  }
}
