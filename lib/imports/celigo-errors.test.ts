import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '@/db';
import { rejectsWithAppError } from '@/lib/testing/errors';
import { celigoErrors } from './celigo-errors';
import { collect, memoryFile } from './collect';
import { CELIGO_STEP, FIXTURE_OPTIONS } from './testing';

const db = null as unknown as Db;
const dir = path.join(__dirname, 'fixtures/celigo-errors');
const fixture = (name: string) => memoryFile(name, fs.readFileSync(path.join(dir, name)), 97);
const OPTIONS = FIXTURE_OPTIONS['celigo-errors'];
const byId = (m: Awaited<ReturnType<typeof collect>>) => new Map(m.records.map((r) => [r.value.messageId, r]));

describe('celigo-errors', () => {
  it('maps open errors to failed messages, one per traceKey (else errorId)', async () => {
    const out = await collect(celigoErrors, db, OPTIONS, [fixture('open-errors.json')]);
    expect(out.rows).toBe(4);
    expect(out.rejected).toEqual([]);
    expect(out.records).toHaveLength(3);
    const msgs = byId(out);
    expect(msgs.get('SO-100231')?.value).toMatchObject({
      txType: 'order_release',
      direction: 'erp_to_wms',
      facility: 'DC1',
      status: 'failed',
      attempts: 1,
      errorCode: 'INVALID_FIELD',
      errorMessage: 'Item SKU-10023: unit of measure CS is not set up for this item',
      createdAt: '2026-11-20T09:15:30.538Z',
      processedAt: null,
      updatedAt: '2026-11-20T09:15:30.538Z',
    });
    // two errors of one traceKey: one message, created at the first, decided by the latest
    const retried = msgs.get('SO-100232');
    expect(retried?.value).toMatchObject({
      status: 'failed',
      attempts: 2,
      createdAt: '2026-11-20T09:16:02.101Z',
      updatedAt: '2026-11-20T10:16:02.000Z',
      errorMessage: 'Request to https://wms.example.com/api/orders timed out after 120 s (retry)',
    });
    expect(retried?.row).toBe(3);
    expect(msgs.get('7431190523')?.value).toMatchObject({ errorCode: '422', status: 'failed' });
    expect((msgs.get('SO-100231')?.value.payload as Record<string, unknown>)._expOrImpId).toBe(CELIGO_STEP);
  });

  it('maps resolved errors to delivered messages (processedAt = resolvedAt), a bare list too', async () => {
    const out = await collect(celigoErrors, db, OPTIONS, [fixture('resolved-errors.json')]);
    expect(byId(out).get('SO-100199')?.value).toMatchObject({
      status: 'delivered',
      createdAt: '2026-11-19T16:02:11.420Z',
      processedAt: '2026-11-19T17:30:00.000Z',
      updatedAt: '2026-11-19T17:30:00.000Z',
      errorCode: 'DUPLICATE_VALUE',
    });
    const list = JSON.parse(fs.readFileSync(path.join(dir, 'resolved-errors.json'), 'utf8')).errors;
    const bare = await collect(celigoErrors, db, OPTIONS, [memoryFile('list.json', JSON.stringify(list))]);
    expect(bare.records.map((r) => r.value)).toEqual(out.records.map((r) => r.value));
  });

  it('a record resolved, then failing again, is failed; open and resolved files in one request', async () => {
    const again = JSON.stringify({
      errors: [
        { occurredAt: '2026-11-20T09:00:00Z', code: 'X', message: 'again', traceKey: 'SO-100199', errorId: '9' },
      ],
    });
    const out = await collect(celigoErrors, db, OPTIONS, [
      fixture('resolved-errors.json'),
      memoryFile('open.json', again),
    ]);
    expect(out.rows).toBe(3);
    expect(byId(out).get('SO-100199')?.value).toMatchObject({ status: 'failed', attempts: 2, processedAt: null });
    expect(byId(out).get('SO-100201')?.value.status).toBe('delivered');
  });

  it('takes flow and step from each error, txType from map.<step> or map.<flow>', async () => {
    const options = {
      direction: 'wms_to_erp',
      facility: 'DC2',
      'map.6740ffee00112233445566aa': 'adjustment',
      'map.6740ffee0011223344556677': 'cycle_count',
    };
    const out = await collect(celigoErrors, db, options, [fixture('errors-with-ids.json')]);
    const msgs = byId(out);
    expect(msgs.get('ADJ-55001')?.value).toMatchObject({ txType: 'adjustment', direction: 'wms_to_erp' });
    expect(msgs.get('ADJ-55002')?.value).toMatchObject({ txType: 'cycle_count' });
  });

  it('rejects errors it cannot map: no txType (naming the option), no id, no occurredAt', async () => {
    const body = JSON.stringify([
      { occurredAt: '2026-11-20T09:00:00Z', traceKey: 'A' },
      { occurredAt: '2026-11-20T09:00:00Z', code: 'x' },
      { traceKey: 'C' },
      { occurredAt: 'soon', traceKey: 'D' },
      'text',
    ]);
    const noMap = await collect(celigoErrors, db, { direction: 'erp_to_wms', facility: 'DC1', step: CELIGO_STEP }, [
      memoryFile('e.json', body),
    ]);
    expect(noMap.rows).toBe(5);
    const errs = noMap.rejected.map((r) => `${r.row}: ${r.errors.join(' | ')}`);
    expect(errs).toEqual([
      expect.stringContaining('2: neither traceKey nor errorId'),
      expect.stringContaining('3: occurredAt: empty'),
      expect.stringContaining('4: occurredAt: "soon" is not an ISO 8601 timestamp'),
      expect.stringContaining('5: not a JSON object'),
      expect.stringContaining(`1: no txType for map.${CELIGO_STEP}`),
    ]);
    const noIds = await collect(celigoErrors, db, { direction: 'erp_to_wms', facility: 'DC1' }, [
      memoryFile('e.json', JSON.stringify([{ occurredAt: '2026-11-20T09:00:00Z', traceKey: 'A' }])),
    ]);
    expect(noIds.rejected[0].errors[0]).toContain('pass options flow and step');
  });

  it('needs option direction (a 400 naming it) and an errors document', async () => {
    const fail = (options: Record<string, string>, content = '{"errors":[]}') =>
      rejectsWithAppError(collect(celigoErrors, db, options, [memoryFile('f.json', content)]));
    const e = await fail({ facility: 'DC1', step: CELIGO_STEP });
    expect(e?.status).toBe(400);
    expect(e?.message).toContain('option direction');
    expect((await fail(OPTIONS, '{"flowErrors":[]}'))?.message).toContain('{ "errors": [...] }');
    expect((await fail(OPTIONS, 'not json'))?.status).toBe(400);
  });
});
