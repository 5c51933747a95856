import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '@/db';
import { rejectsWithAppError } from '@/lib/testing/errors';
import { collect, memoryFile } from './collect';
import { ocaQueueJob } from './oca-queue-job';
import { FIXTURE_OPTIONS } from './testing';

const db = null as unknown as Db; // formats map without the database
const dir = path.join(__dirname, 'fixtures/oca-queue-job');
const fixture = (name: string, chunk?: number) => memoryFile(name, fs.readFileSync(path.join(dir, name)), chunk);
const OPTIONS = FIXTURE_OPTIONS['oca-queue-job'];
const byId = (m: Awaited<ReturnType<typeof collect>>) => new Map(m.records.map((r) => [r.value.messageId, r]));

describe('oca-queue-job', () => {
  it('maps every queue.job state of an export with Odoo labels as headers', async () => {
    const out = await collect(ocaQueueJob, db, OPTIONS, [fixture('queue_job_labels.csv', 50)]);
    expect(out.rows).toBe(9);
    const jobs = byId(out);
    const v = (n: number) => jobs.get(`6f1c2a1e-2b7d-4c55-9a51-3a0c1f7e000${n}`)?.value;
    // done → delivered, processedAt = date_done
    expect(v(1)).toMatchObject({
      txType: 'order_release',
      direction: 'erp_to_wms',
      facility: 'DC1',
      status: 'delivered',
      attempts: 2,
      createdAt: '2026-11-20T10:00:00+00:00',
      processedAt: '2026-11-20T10:00:05+00:00',
      updatedAt: '2026-11-20T10:00:05+00:00',
      errorCode: null,
      errorMessage: null,
    });
    // failed below max_retries → failed, with the exception
    expect(v(2)).toMatchObject({
      status: 'failed',
      attempts: 3,
      errorCode: 'requests.exceptions.ConnectionError',
      errorMessage: 'Connection refused by wms.example.com',
      processedAt: null,
      updatedAt: '2026-11-20T10:15:02+00:00',
    });
    // failed with retry ≥ max_retries → dead_letter
    expect(v(3)).toMatchObject({ status: 'dead_letter', attempts: 6 });
    // cancelled → dead_letter; map.<model> when map.<model>.<method> is not given
    expect(v(4)).toMatchObject({ status: 'dead_letter', txType: 'receipt', attempts: 1 });
    // pending, enqueued, started, wait_dependencies → pending
    for (const n of [5, 6, 7, 8]) expect(v(n)?.status).toBe('pending');
    expect(v(5)?.txType).toBe('item_master');
    // an unmapped model is rejected, naming the option
    expect(out.rejected).toHaveLength(1);
    expect(out.rejected[0]).toMatchObject({ row: 9, key: '6f1c2a1e-2b7d-4c55-9a51-3a0c1f7e0009' });
    expect(out.rejected[0].errors[0]).toContain('map.account.move._recompute=<txType>');
    expect(out.rejected[0].raw).toContain('Recompute account moves');
    expect(jobs.get('6f1c2a1e-2b7d-4c55-9a51-3a0c1f7e0002')?.row).toBe(2);
  });

  it('reads technical column names; max_retries 0 is infinite (failed stays failed)', async () => {
    const out = await collect(ocaQueueJob, db, OPTIONS, [fixture('queue_job_technical.csv')]);
    const jobs = byId(out);
    expect(jobs.get('b2d4e6f8-0000-4000-8000-000000000001')?.value).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(jobs.get('b2d4e6f8-0000-4000-8000-000000000002')?.value).toMatchObject({
      status: 'failed',
      attempts: 4,
      errorCode: 'odoo.exceptions.UserError',
    });
  });

  it('reads a JSON list (search_read), Odoo false as empty, and a JSON-RPC answer', async () => {
    const out = await collect(ocaQueueJob, db, OPTIONS, [fixture('queue_job_search_read.json', 100)]);
    expect(out.rows).toBe(3);
    expect(out.rejected).toEqual([]);
    const jobs = byId(out);
    expect(jobs.get('c3e5a7b9-1111-4111-8111-000000000001')?.value).toMatchObject({
      status: 'delivered',
      processedAt: '2026-11-22T07:30:06+00:00',
      errorCode: null,
    });
    expect(jobs.get('c3e5a7b9-1111-4111-8111-000000000002')?.value).toMatchObject({
      status: 'dead_letter',
      errorMessage: 'Max. retries (5) reached: 502 Bad Gateway',
    });
    expect(jobs.get('c3e5a7b9-1111-4111-8111-000000000003')?.value).toMatchObject({
      status: 'pending',
      txType: 'receipt',
    });
    expect(jobs.get('c3e5a7b9-1111-4111-8111-000000000003')?.row).toBe(3);

    const rpc = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      result: JSON.parse(fs.readFileSync(path.join(dir, 'queue_job_search_read.json'), 'utf8')),
    });
    const viaRpc = await collect(ocaQueueJob, db, OPTIONS, [memoryFile('rpc.json', `\uFEFF  \n${rpc}`)]);
    expect(viaRpc.records.map((r) => r.value)).toEqual(out.records.map((r) => r.value));
  });

  it('reads zone-less times in the timezone option; a job without exc_name takes its traceback', async () => {
    const csv = [
      'uuid,model_name,method_name,state,retry,max_retries,exc_info,date_created',
      'u-1,stock.picking,x,failed,1,5,"Traceback (most recent call last):\n  File ""x""\nValueError: bad lot L-7",2026-07-01 12:00:00',
    ].join('\n');
    const out = await collect(ocaQueueJob, db, { ...OPTIONS, timezone: 'Europe/Berlin' }, [memoryFile('old.csv', csv)]);
    expect(out.records[0].value).toMatchObject({
      createdAt: '2026-07-01T12:00:00+02:00',
      errorCode: 'ValueError',
      errorMessage: 'bad lot L-7',
    });
  });

  it('rejects rows it cannot map, with what is wrong', async () => {
    const csv = [
      'uuid,model_name,method_name,state,retry,max_retries,date_created,date_done',
      ',stock.picking,x,done,1,5,2026-11-20 10:00:00,2026-11-20 10:00:01',
      'u-2,stock.picking,x,exploded,1,5,2026-11-20 10:00:00,',
      'u-3,stock.picking,x,done,1,5,2026-11-20 10:00:00,',
      'u-4,stock.picking,x,pending,one,5,yesterday,',
    ].join('\n');
    const out = await collect(ocaQueueJob, db, OPTIONS, [memoryFile('bad.csv', csv)]);
    expect(out.records).toEqual([]);
    const errs = out.rejected.map((r) => r.errors.join(' | '));
    expect(errs[0]).toContain('uuid: empty');
    expect(errs[1]).toContain('"exploded" is not a queue.job state');
    expect(errs[2]).toContain('date_done: empty on a done job');
    expect(errs[3]).toContain('retry: "one" is not a whole number');
    expect(errs[3]).toContain('date_created: "yesterday" is not a date and time');
  });

  it('needs option direction (400 naming it), a facility, valid map values and a queue.job header', async () => {
    const fail = (options: Record<string, string>, content = 'uuid\n') =>
      rejectsWithAppError(collect(ocaQueueJob, db, options, [memoryFile('f.csv', content)]));
    const noDirection = await fail({ facility: 'DC1' });
    expect(noDirection?.status).toBe(400);
    expect(noDirection?.message).toContain('direction');
    expect((await fail({ facility: 'DC1', direction: 'sideways' }))?.message).toContain('direction must be');
    expect((await fail({ direction: 'erp_to_wms' }))?.message).toContain('option facility');
    expect((await fail({ ...OPTIONS, 'map.x': 'teleport' }))?.message).toContain('map.x');
    const header = await fail(OPTIONS, 'id,name\n1,x\n');
    expect(header?.status).toBe(400);
    expect(header?.message).toContain('no column uuid');
  });
});
