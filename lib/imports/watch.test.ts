/**
 * The watched folder with real files on disk: one written slowly is imported once, after it held
 * still; what cannot be read goes to failed/; files there before the watch started are imported.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listImports } from './history';
import { testDb } from '@/lib/testing/db';
import { folderFormat, watchFolder } from './watch';

const h = testDb();
const STABLE_MS = 1500;
const HEADER = 'uuid,model_name,method_name,state,retry,max_retries,date_created,date_done,exc_name,exc_message';
const job = (id: string) => `${id},stock.picking,_export,done,0,5,2026-11-20 08:00:00,2026-11-20 08:00:05,,`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let stop: (() => Promise<void>) | null = null;
afterEach(async () => {
  await stop?.();
  stop = null;
});

function dropFolder() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sh-watch-'));
  const sub = path.join(dir, 'oca-queue-job');
  fs.mkdirSync(sub);
  fs.writeFileSync(
    path.join(sub, 'options.json'),
    JSON.stringify({ direction: 'wms_to_erp', facility: 'DC7', 'map.stock.picking': 'receipt' }),
  );
  return { dir, sub };
}

/** Waits until `n` files have been handled, or fails after `ms`. */
function handled(n: number, ms: number) {
  const seen: { file: string; outcome: string; at: number }[] = [];
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  const onImported = (file: string, outcome: string) => {
    seen.push({ file: path.basename(file), outcome, at: Date.now() });
    if (seen.length === n) done();
  };
  const wait = Promise.race([all, sleep(ms).then(() => Promise.reject(new Error(`only ${seen.length} of ${n}`)))]);
  return { seen, onImported, wait };
}

describe('the watched folder', () => {
  it('names formats by folder', () => {
    expect(folderFormat('sap-idoc-status')).toEqual({ format: 'sap-idoc-status', options: {} });
    expect(folderFormat('profile-boomi')).toEqual({ format: 'profile', options: { profile: 'boomi' } });
    expect(folderFormat('done')).toBeNull();
  });

  it('imports a file written slowly once, after it held still, and moves it to done/ with its result', async () => {
    const { dir, sub } = dropFolder();
    const w = handled(1, 30_000);
    stop = watchFolder(h.db, dir, { stableMs: STABLE_MS, pollMs: 100, onImported: w.onImported });
    // An SFTP upload: the file grows in pieces, each within the stable time of the one before.
    const file = path.join(sub, 'jobs-1.csv');
    const fd = fs.openSync(file, 'w');
    const started = Date.now();
    fs.writeSync(fd, HEADER + '\n');
    for (let i = 0; i < 4; i++) {
      await sleep(STABLE_MS / 2);
      fs.writeSync(fd, job(`slow-${i}`) + '\n');
    }
    fs.closeSync(fd);
    const lastWrite = Date.now();
    await w.wait;
    expect(w.seen).toEqual([{ file: 'jobs-1.csv', outcome: 'done', at: expect.any(Number) }]);
    expect(w.seen[0].at - lastWrite).toBeGreaterThanOrEqual(STABLE_MS - 200);
    expect(w.seen[0].at - started).toBeGreaterThan(2 * STABLE_MS);

    expect(fs.existsSync(file)).toBe(false);
    const result = JSON.parse(fs.readFileSync(path.join(sub, 'done', 'jobs-1.csv.result.json'), 'utf8'));
    expect(result).toMatchObject({ format: 'oca-queue-job', rows: 4, accepted: 4, rejected: [] });
    expect(fs.readFileSync(path.join(sub, 'done', 'jobs-1.csv'), 'utf8').split('\n')).toHaveLength(6);
    const [run] = (await listImports(h.db, 1)).rows;
    expect(run).toMatchObject({ id: result.importId, via: 'watch', source: 'watch:oca-queue-job', accepted: 4 });
    expect(run.options).toMatchObject({ facility: 'DC7' });

    // Nothing is imported twice: the folder stays as it is.
    await sleep(STABLE_MS + 500);
    expect(w.seen).toHaveLength(1);
  }, 60_000);

  it('imports files left from before it started, and moves one that cannot be read to failed/', async () => {
    const { dir, sub } = dropFolder();
    fs.writeFileSync(path.join(sub, 'early.csv'), [HEADER, job('early-1'), job('early-2')].join('\n'));
    fs.writeFileSync(path.join(sub, 'broken.csv'), 'this is no header\n');
    fs.writeFileSync(path.join(sub, '.partial'), 'a dot file is still being written');
    const w = handled(2, 30_000);
    stop = watchFolder(h.db, dir, { stableMs: STABLE_MS, pollMs: 100, onImported: w.onImported });
    await w.wait;
    expect(w.seen.map(({ file, outcome }) => [file, outcome]).sort()).toEqual([
      ['broken.csv', 'failed'],
      ['early.csv', 'done'],
    ]);
    const failed = JSON.parse(fs.readFileSync(path.join(sub, 'failed', 'broken.csv.result.json'), 'utf8'));
    expect(failed.error.message).toMatch(/broken\.csv/);
    expect(fs.existsSync(path.join(sub, '.partial'))).toBe(true);
    const runs = (await listImports(h.db, 1)).rows.filter((r) => ['early.csv', 'broken.csv'].includes(r.fileNames));
    expect(runs.map((r) => [r.fileNames, r.status]).sort()).toEqual([
      ['broken.csv', 'failed'],
      ['early.csv', 'succeeded'],
    ]);
  }, 60_000);
});
