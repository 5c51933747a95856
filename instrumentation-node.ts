import { annotateLock, getHandle } from '@/db';
import { bootstrap, demoMode } from '@/lib/bootstrap';
import { ensureDemoData } from '@/lib/demo/ensure-demo-data';
import { issueCliToken } from '@/lib/cli/token';

export async function startServerSide() {
  const handle = await getHandle('server');
  annotateLock({ url: `http://127.0.0.1:${process.env.PORT ?? 3000}`, token: issueCliToken() });
  await bootstrap(handle.db);
  console.log(`[sync-health] database ready (${handle.kind}: ${handle.location})`);
  if (demoMode() && process.env.SKIP_DEMO_DATA !== '1') await ensureDemoData(handle.db);
}
