/** oca-queue-job, celigo-errors and profile imports end to end: through runImport into the message log. */
import fs from 'node:fs';
import path from 'node:path';
import { inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { integrationMessages } from '@/db/schema';
import { testDb } from '@/lib/testing/db';
import { memoryFile } from './collect';
import { saveProfile } from './profile-store';
import { runImport } from './run';
import { FIXTURE_OPTIONS } from './testing';

const h = testDb();
const file = (rel: string) => memoryFile(path.basename(rel), fs.readFileSync(path.join(__dirname, rel)), 1000);
const twice = async (format: string, files: () => ReturnType<typeof file>[], options: Record<string, string>) => {
  const first = await runImport(h.db, { format, files: files(), options, source: 'test', via: 'cli' });
  const again = await runImport(h.db, { format, files: files(), options, source: 'test', via: 'cli' });
  return { first, again };
};
const stored = async (ids: string[]) => {
  const rows = await h.db.select().from(integrationMessages).where(inArray(integrationMessages.messageId, ids));
  return new Map(rows.map((r) => [r.messageId, r]));
};
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('imports of queue.job, Celigo errors and mapping profiles, end to end', () => {
  it('oca-queue-job: stores the jobs with their status, attempts and errors; a re-import changes nothing', async () => {
    const options = FIXTURE_OPTIONS['oca-queue-job'];
    const files = () => [
      file('fixtures/oca-queue-job/queue_job_labels.csv'),
      file('fixtures/oca-queue-job/queue_job_search_read.json'),
    ];
    const { first, again } = await twice('oca-queue-job', files, options);
    expect(first).toMatchObject({ format: 'oca-queue-job', rows: 12, accepted: 11, updated: 0, unchanged: 0 });
    expect(first.rejected).toEqual([
      expect.objectContaining({
        file: 'queue_job_labels.csv',
        row: 9,
        index: 9,
        errors: [expect.stringContaining('map.account.move')],
      }),
    ]);
    expect(again).toMatchObject({ accepted: 0, updated: 0, unchanged: 11 });
    const m = await stored([
      '6f1c2a1e-2b7d-4c55-9a51-3a0c1f7e0001',
      '6f1c2a1e-2b7d-4c55-9a51-3a0c1f7e0002',
      '6f1c2a1e-2b7d-4c55-9a51-3a0c1f7e0003',
      'c3e5a7b9-1111-4111-8111-000000000003',
    ]);
    const done = m.get('6f1c2a1e-2b7d-4c55-9a51-3a0c1f7e0001')!;
    expect(done).toMatchObject({
      txType: 'order_release',
      direction: 'erp_to_wms',
      facility: 'DC1',
      status: 'delivered',
      attempts: 2,
    });
    expect(iso(done.createdAt)).toBe('2026-11-20T10:00:00.000Z');
    expect(iso(done.processedAt)).toBe('2026-11-20T10:00:05.000Z');
    expect(m.get('6f1c2a1e-2b7d-4c55-9a51-3a0c1f7e0002')).toMatchObject({
      status: 'failed',
      attempts: 3,
      errorCode: 'requests.exceptions.ConnectionError',
      errorMessage: 'Connection refused by wms.example.com',
    });
    expect(m.get('6f1c2a1e-2b7d-4c55-9a51-3a0c1f7e0003')?.status).toBe('dead_letter');
    expect(m.get('c3e5a7b9-1111-4111-8111-000000000003')).toMatchObject({ status: 'pending', txType: 'receipt' });

    // The failed job done on a later export replaces the stored one (its date_done is later).
    const later = [
      'uuid,model_name,method_name,state,retry,max_retries,date_created,date_started,date_done',
      '6f1c2a1e-2b7d-4c55-9a51-3a0c1f7e0002,stock.picking,_export_to_wms,done,3,5,2026-11-20 10:05:00,2026-11-20 10:45:00,2026-11-20 10:45:03',
    ].join('\n');
    const retried = await runImport(h.db, {
      format: 'oca-queue-job',
      files: [memoryFile('later.csv', later)],
      options,
      source: 'test',
      via: 'cli',
    });
    expect(retried).toMatchObject({ accepted: 0, updated: 1 });
    expect(
      (await stored(['6f1c2a1e-2b7d-4c55-9a51-3a0c1f7e0002'])).get('6f1c2a1e-2b7d-4c55-9a51-3a0c1f7e0002'),
    ).toMatchObject({
      status: 'delivered',
      attempts: 4,
    });
  });

  it('oca-queue-job without option direction is refused before anything is stored', async () => {
    await expect(
      runImport(h.db, {
        format: 'oca-queue-job',
        files: [file('fixtures/oca-queue-job/queue_job_technical.csv')],
        options: { facility: 'DC1' },
        source: 'test',
        via: 'api',
      }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining('direction') });
  });

  it('celigo-errors: open and resolved errors become failed and delivered messages; a re-import changes nothing', async () => {
    const options = FIXTURE_OPTIONS['celigo-errors'];
    const files = () => [
      file('fixtures/celigo-errors/open-errors.json'),
      file('fixtures/celigo-errors/resolved-errors.json'),
    ];
    const { first, again } = await twice('celigo-errors', files, options);
    expect(first).toMatchObject({ rows: 6, accepted: 5, rejected: [] });
    expect(again).toMatchObject({ accepted: 0, updated: 0, unchanged: 5 });
    const m = await stored(['SO-100232', 'SO-100199', '7431190523']);
    expect(m.get('SO-100232')).toMatchObject({
      status: 'failed',
      attempts: 2,
      errorCode: 'ETIMEDOUT',
      txType: 'order_release',
    });
    expect(iso(m.get('SO-100232')!.createdAt)).toBe('2026-11-20T09:16:02.101Z');
    expect(m.get('SO-100199')).toMatchObject({ status: 'delivered', errorCode: 'DUPLICATE_VALUE' });
    expect(iso(m.get('SO-100199')!.processedAt)).toBe('2026-11-19T17:30:00.000Z');
    expect(m.get('7431190523')?.status).toBe('failed');
  });

  it('profile: the three shipped profiles store their samples; re-sent records keep their ids', async () => {
    for (const name of ['boomi-executions', 'mulesoft-json-logger', 'shiphero-inventory-change'])
      await saveProfile(
        h.db,
        JSON.parse(fs.readFileSync(path.join(__dirname, 'profiles', `${name}.json`), 'utf8')),
        'test',
      );
    const boomi = await twice('profile', () => [file('profiles/boomi-executions.sample.csv')], {
      profile: 'boomi-executions',
    });
    expect(boomi.first).toMatchObject({ rows: 4, accepted: 4, rejected: [] });
    expect(boomi.again).toMatchObject({ accepted: 0, unchanged: 4 });

    const mule = await twice('profile', () => [file('profiles/mulesoft-json-logger.sample.json')], {
      profile: 'mulesoft-json-logger',
    });
    expect(mule.first.rejected).toEqual([]);
    expect(mule.first.accepted + mule.first.updated + mule.first.unchanged).toBe(4);
    expect(mule.again).toMatchObject({ accepted: 0, updated: 0 });
    const order = (await stored(['0f8e1d20-a1fa-11ef-8918-f01898696750'])).get('0f8e1d20-a1fa-11ef-8918-f01898696750')!;
    expect(order).toMatchObject({
      status: 'delivered',
      correlationKey: 'SO-100231',
      sku: 'SKU-10023',
      quantity: '24',
      lineKey: '10',
    });

    const ship = await twice('profile', () => [file('profiles/shiphero-inventory-change.sample.ndjson')], {
      profile: 'shiphero-inventory-change',
    });
    expect(ship.first).toMatchObject({ rows: 3, accepted: 3, rejected: [] });
    expect(ship.again).toMatchObject({ accepted: 0, unchanged: 3 });
    const [lotRow] = await h.db
      .select()
      .from(integrationMessages)
      .where(inArray(integrationMessages.lot, ['114475']));
    expect(lotRow).toMatchObject({
      txType: 'adjustment',
      facility: 'DC1',
      sku: 'SKU-10023',
      quantity: '-2',
      location: 'A-01-02',
    });
    expect(lotRow.messageId).toMatch(/^[0-9a-f]{64}$/);
  });
});
