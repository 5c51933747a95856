import fs from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { openDatabase } from '@/db';
import { bootstrap } from '@/lib/bootstrap';
import { sapIdocStatus } from '@/lib/imports/sap-idoc-status';
import { importOptions, runImport } from '@/lib/imports/run';
import { readDelimited } from '@/lib/imports/read';

const dir = '/tmp/sapbench';
(async () => {
  let t0 = performance.now();
  let k = 0;
  for await (const x of readDelimited({ name: 'EDIDS.txt', bytes: fs.createReadStream(path.join(dir, 'EDIDS.txt')) })) k++;
  console.log('read EDIDS', k, ((performance.now() - t0) / 1000).toFixed(1), 's');
  const admin = postgres('postgres://postgres@127.0.0.1:5432/postgres', { max: 1, onnotice: () => {} });
  const name = `sh_prof_${Date.now()}`;
  await admin.unsafe(`create database ${name}`);
  const h = await openDatabase({ url: `postgres://postgres@127.0.0.1:5432/${name}`, purpose: 'bench' });
  await bootstrap(h.db, { demo: false });
  const run = await sapIdocStatus.start({ db: h.db, options: importOptions({ 'partner.WMS01': 'DC7', 'partner.ERP100': 'DC7' }), importId: 1, dryRun: false });
  for (const f of ['EDIDC.txt', 'EDIDS.txt']) {
    const t = performance.now();
    let n = 0;
    for await (const m of run.file({ name: f, bytes: fs.createReadStream(path.join(dir, f)) })) n += m.rows;
    console.log('stage', f, n, ((performance.now() - t) / 1000).toFixed(1), 's');
  }
  const t = performance.now();
  let n = 0;
  for await (const m of run.finish!()) n += m.records.length;
  console.log('finish', n, ((performance.now() - t) / 1000).toFixed(1), 's');
  await h.db.execute('truncate idoc_control, idoc_status' as never).catch(() => {});
  t0 = performance.now();
  const r = await runImport(h.db, { format: 'sap-idoc-status', files: ['EDIDC.txt', 'EDIDS.txt'].map((f) => ({ name: f, bytes: fs.createReadStream(path.join(dir, f)) })), options: { 'partner.WMS01': 'DC7', 'partner.ERP100': 'DC7' }, source: 'p', via: 'cli' });
  console.log('runImport', r.accepted, r.updated, r.unchanged, ((performance.now() - t0) / 1000).toFixed(1), 's', 'rss', (process.memoryUsage().rss / 1048576).toFixed(0));
  await h.close();
  await admin.unsafe(`drop database ${name} with (force)`);
  await admin.end();
})();
