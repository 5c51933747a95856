import { openDatabase } from '../db';
import { reconcileNow } from '../lib/recon/reconcile';
async function main() {
  const h = await openDatabase({ url: `postgres://postgres@127.0.0.1:5432/${process.argv[2]}`, purpose: 'x' });
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const r = await reconcileNow(h.db, 'RB', 'x');
    console.log(r.status, (performance.now() - t).toFixed(0), 'ms');
  }
  await h.close();
}
main();
