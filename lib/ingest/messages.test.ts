import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '@/db';
import { MESSAGE_TABLES, emptyMessageTables, testDb } from '@/lib/testing/db';
import { createApiKey } from '@/lib/auth/api-keys';
import { computeKpis } from '@/lib/kpi/kpis';
import { setIngestFaultForTests } from '@/lib/ingest/messages';
import { freshGuessForTests } from '@/lib/ingest/store';
import { send } from '@/lib/testing/send';
import { POST } from '@/app/api/v1/messages/route';
import { env } from '@/lib/env';

const h = testDb();
let key: string;
beforeAll(async () => {
  key = (await createApiKey(h.db, 'ingest-test')).key;
});

beforeEach(() => emptyMessageTables(h.db));

const base = {
  txType: 'receipt',
  direction: 'wms_to_erp',
  facility: 'DC1',
  correlationKey: 'PO-1',
  lineKey: '10',
  sku: 'SKU-1',
  quantity: 24,
  uom: 'EA',
};
const msg = (id: string, over: Record<string, unknown> = {}) => ({
  messageId: id,
  ...base,
  status: 'delivered',
  attempts: 1,
  createdAt: '2026-11-20T10:00:00Z',
  processedAt: '2026-11-20T10:00:05Z',
  ...over,
});

const WINDOW = { from: new Date('2026-11-19T00:00:00Z'), to: new Date('2026-11-22T00:00:00Z') };
const kpis = (scope: Partial<typeof WINDOW> & { facility?: string; txType?: string } = {}) =>
  computeKpis(h.db, { ...WINDOW, ...scope });

const call = (body: string, headers: Record<string, string> = {}) =>
  POST(
    new Request('http://test/api/v1/messages', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      body,
    }),
  );

describe('POST /api/v1/messages', () => {
  it('stores valid records, rejects invalid ones per record and quarantines them with their raw text', async () => {
    const res = await call(
      JSON.stringify([
        msg('A'),
        { ...msg('B'), txType: 'teleport' },
        { ...msg('C'), processedAt: null },
        { ...msg('D'), createdAt: '2026-11-20 10:00' },
        { ...msg('E'), quantity: '12,5' },
        { messageId: 'F' },
        'not an object',
        (({ processedAt: _p, ...rest }) => rest)(msg('G')),
      ]),
    );
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ accepted: 1, updated: 0, unchanged: 0 });
    expect(body.rejected.map((r: { index: number }) => r.index)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(body.rejected[0]).toMatchObject({
      messageId: 'B',
      errors: [expect.stringMatching(/^txType: must be one of/)],
    });
    expect(body.rejected[1].errors).toEqual(['processedAt: is required when status is delivered']);
    // absent, not null: the same words
    expect(body.rejected[6].errors).toEqual(['processedAt: is required when status is delivered']);
    expect(body.rejected[2].errors[0]).toMatch(/^createdAt: must be an ISO 8601 timestamp with a zone/);
    expect(body.rejected[3].errors).toEqual(['quantity: must be a decimal number']);
    expect(body.rejected[4].errors).toEqual(
      expect.arrayContaining(['txType: is required', 'status: is required', 'createdAt: is required']),
    );
    const q = await rows<{ record_index: number; record_key: string | null; raw: string; errors: string[] }>(
      h.db,
      sql`select * from quarantine order by record_index`,
    );
    expect(q).toHaveLength(7);
    expect(JSON.parse(q[0].raw)).toMatchObject({ messageId: 'B', txType: 'teleport' });
    expect(q[5].raw).toBe('"not an object"');
  });

  it('accepts NDJSON and keeps a line that is not JSON as a rejected record', async () => {
    const body = [JSON.stringify(msg('N1')), '{"messageId": "N2", broken', JSON.stringify(msg('N3'))].join('\n');
    const res = await call(body, { 'content-type': 'application/x-ndjson' });
    expect(res.status).toBe(200);
    const out = await res.json();
    expect(out.accepted).toBe(2);
    expect(out.rejected).toEqual([{ index: 1, messageId: null, errors: [expect.stringMatching(/^not valid JSON/)] }]);
    const [qr] = await rows<{ raw: string }>(h.db, sql`select raw from quarantine`);
    expect(qr.raw).toBe('{"messageId": "N2", broken');

    // A NUL sent as a raw byte, which no Postgres text holds: kept as U+FFFD, the rest as sent.
    const nul = await call(`${JSON.stringify(msg('N4'))}\n{"messageId": "N5\u0000"}`, {
      'content-type': 'application/x-ndjson',
    });
    expect(nul.status).toBe(200);
    expect((await nul.json()).rejected).toHaveLength(1);
    expect(await rows(h.db, sql`select raw from quarantine order by id desc limit 1`)).toEqual([
      { raw: '{"messageId": "N5\uFFFD"}' },
    ]);
  });

  it('stores tabs, newlines, backslashes and quotes exactly, and rejects what Postgres cannot store with a 200 and a reason', async () => {
    const tricky = 'a\tb\nc\\d\r"e" \\N é😀';
    const res = await call(
      JSON.stringify([
        msg('T1', {
          errorMessage: tricky,
          location: '\\N',
          payload: { text: tricky, backslashU: '\\u0000 is text here' },
        }),
        msg('T2', { errorMessage: 'nul \u0000 inside' }),
        msg('T3', { payload: { bad: 'nul \u0000' } }),
        msg('T4', { payload: { half: '\ud800' } }),
        msg('T5', { sku: 'SKU-\udc00' }),
        msg('T6\ud800'),
      ]),
    );
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.accepted).toBe(1);
    expect(
      body.rejected.map((r: { messageId: string; errors: string[] }) => [r.messageId, r.errors[0].split(':')[0]]),
    ).toEqual([
      ['T2', 'errorMessage'],
      ['T3', 'payload'],
      ['T4', 'payload'],
      ['T5', 'sku'],
      ['T6\ud800', 'messageId'],
    ]);
    const [stored] = await rows<{
      error_message: string;
      location: string;
      payload: { text: string; backslashU: string };
    }>(h.db, sql`select error_message, location, payload from integration_messages where message_id = 'T1'`);
    expect(stored).toEqual({
      error_message: tricky,
      location: '\\N',
      payload: { text: tricky, backslashU: '\\u0000 is text here' },
    });
    expect(await rows(h.db, sql`select record_key from quarantine order by record_index`)).toEqual([
      { record_key: 'T2' },
      { record_key: 'T3' },
      { record_key: 'T4' },
      { record_key: 'T5' },
      { record_key: 'T6\uFFFD' },
    ]);
  });

  it('rejects a quantity past what numeric holds, keeps the rest of the batch, and stores the largest it holds exactly', async () => {
    const largest = `-${'9'.repeat(131_072)}.${'1'.repeat(16_383)}`;
    const res = await call(
      JSON.stringify([
        msg('Q1', { quantity: '1'.repeat(131_073) }),
        msg('Q2', { quantity: `0.${'5'.repeat(16_384)}` }),
        msg('Q3', { quantity: largest }),
        msg('Q4', {
          quantity: `${'0'.repeat(200_000)}7.25`,
          createdAt: '2026-11-20T10:00:00.9999996+01:00',
          processedAt: '3000-01-01T00:00:00.0000015Z',
        }),
      ]),
    );
    expect(res.status).toBe(200);
    const body = await res.json();
    expect([
      body.accepted,
      body.rejected.map((r: { messageId: string; errors: string[] }) => [r.messageId, r.errors[0]]),
    ]).toEqual([
      2,
      [
        ['Q1', 'quantity: must have at most 131072 digits before the decimal point and 16383 after it'],
        ['Q2', 'quantity: must have at most 131072 digits before the decimal point and 16383 after it'],
      ],
    ]);
    const stored = await rows<{ message_id: string; q: string; created: string; processed: string }>(
      h.db,
      sql`select message_id, quantity::text as q, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') as
        created,
            to_char(processed_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') as processed
          from integration_messages order by message_id`,
    );
    expect(stored.map((r) => r.message_id)).toEqual(['Q3', 'Q4']);
    expect(stored[0].q === largest).toBe(true);
    // Timestamps past the microsecond round as Postgres rounds, beyond the year 2255 too.
    expect(stored[1]).toMatchObject({
      q: '7.25',
      created: '2026-11-20 09:00:01.000000',
      processed: '3000-01-01 00:00:00.000002',
    });
    expect(await rows(h.db, sql`select record_key from quarantine order by record_index`)).toEqual([
      { record_key: 'Q1' },
      { record_key: 'Q2' },
    ]);
  });

  it('rejects a payload nested past 1000 levels as a record, and refuses a body nested too deep to keep with a 400, storing nothing', async () => {
    const nest = (levels: number) => JSON.parse('['.repeat(levels) + ']'.repeat(levels));
    const res = await call(
      JSON.stringify([
        msg('D1', { payload: nest(1000) }),
        msg('D2', { payload: nest(1001) }),
        msg('D3', { payload: { note: '['.repeat(3000) } }),
      ]),
    );
    expect(res.status).toBe(200);
    const body = await res.json();
    expect([body.accepted, body.rejected]).toEqual([
      2,
      [{ index: 1, messageId: 'D2', errors: ['payload: must not nest arrays and objects more than 1000 levels deep'] }],
    ]);
    expect(
      await rows(
        h.db,
        sql`select message_id, jsonb_typeof(payload) as t from integration_messages order by message_id`,
      ),
    ).toEqual([
      { message_id: 'D1', t: 'array' },
      { message_id: 'D3', t: 'object' },
    ]);
    const [kept] = await rows<{ record_key: string; raw: string }>(h.db, sql`select record_key, raw from quarantine`);
    expect(kept.record_key).toBe('D2');
    expect(JSON.parse(kept.raw)).toEqual(msg('D2', { payload: nest(1001) }));

    // Nested so deep that the record cannot be written out again to be kept: refused whole.
    const before = await rows(h.db, sql`select count(*)::int as n from quarantine`);
    for (const [text, index] of [
      [`[${JSON.stringify(msg('D4'))}, ${'['.repeat(100_000)}${']'.repeat(100_000)}]`, 1],
      [`[${JSON.stringify(msg('D5')).slice(0, -1)}, "payload": ${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}]`, 0],
    ] as const) {
      const deep = await call(text);
      expect(deep.status).toBe(400);
      expect((await deep.json()).error).toMatchObject({ code: 'bad_request', details: [{ index }] });
    }
    expect(await rows(h.db, sql`select count(*)::int as n from quarantine`)).toEqual(before);
    expect(await rows(h.db, sql`select count(*)::int as n from integration_messages`)).toEqual([{ n: 2 }]);
  });

  it('answers bad requests with 4xx JSON errors, never a 5xx', async () => {
    const bad = await call('[{"messageId": ');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('invalid_json');
    const many = await call(JSON.stringify(Array.from({ length: 10_001 }, (_, i) => msg(`M${i}`))));
    expect(many.status).toBe(413);
    const huge = await call('[' + ' '.repeat(10 * 1024 * 1024) + ']');
    expect(huge.status).toBe(413);
    const type = await call('a,b', { 'content-type': 'text/csv' });
    expect(type.status).toBe(415);
    const empty = await call('[]');
    expect(empty.status).toBe(400);
    for (const r of [bad, many, huge, type, empty]) expect(r.headers.get('content-type')).toMatch(/json/);
  });

  it('is last-write-wins by updatedAt: replays and out-of-order updates end in the same state', async () => {
    const pending = msg('L', { status: 'pending', processedAt: null, updatedAt: '2026-11-20T10:00:00Z' });
    const failed = msg('L', {
      status: 'failed',
      processedAt: null,
      errorCode: 'TIMEOUT',
      updatedAt: '2026-11-20T10:01:00Z',
    });
    const delivered = msg('L', { status: 'delivered', attempts: 2, updatedAt: '2026-11-20T10:02:00Z' });
    expect(await send(h.db, [delivered])).toMatchObject({ accepted: 1, updated: 0, unchanged: 0 });
    // An older failed arriving after delivered changes nothing and opens no exception.
    expect(await send(h.db, [failed, pending])).toMatchObject({ accepted: 0, updated: 0, unchanged: 2 });
    // Equal updatedAt changes nothing.
    expect(await send(h.db, [{ ...delivered, status: 'failed' }])).toMatchObject({ unchanged: 1 });
    const k = await kpis();
    expect(k).toMatchObject({ messages: 1, failedMessageRate: 0, firstPassFailureRate: 1, openExceptions: 0 });
    const [{ status }] = await rows<{ status: string }>(h.db, sql`select status from integration_messages`);
    expect(status).toBe('delivered');
  });

  it('keeps the optional customer of the latest record, by COPY and by update, and refuses one too long', async () => {
    // All new (the COPY path), then a later record of the same message (the update path), then one without it.
    expect(
      await send(h.db, [
        msg('C1', { customer: 'Northwind', status: 'pending', processedAt: null, updatedAt: '2026-11-20T10:00:00Z' }),
      ]),
    ).toMatchObject({ accepted: 1 });
    expect(
      await send(h.db, [
        msg('C1', { customer: 'Contoso', updatedAt: '2026-11-20T10:01:00Z' }),
        msg('C2', { customer: '' }),
      ]),
    ).toMatchObject({ accepted: 1, updated: 1 });
    const stored = async () =>
      rows<{ message_id: string; customer: string | null }>(
        h.db,
        sql`select message_id, customer from integration_messages order by message_id`,
      );
    expect(await stored()).toEqual([
      { message_id: 'C1', customer: 'Contoso' },
      { message_id: 'C2', customer: null },
    ]);
    expect(await send(h.db, [msg('C1', { updatedAt: '2026-11-20T10:02:00Z' })])).toMatchObject({ updated: 1 });
    expect((await stored())[0]).toEqual({ message_id: 'C1', customer: null });
    const r = await send(h.db, [msg('C3', { customer: 'x'.repeat(201) })]);
    expect(r.rejected.map((x) => x.errors)).toEqual([['customer: at most 200 characters']]);
  });

  it('opens one exception at the first failure, keeps it through retrying, resolves it on delivery', async () => {
    await send(h.db, [
      msg('X', {
        status: 'failed',
        processedAt: null,
        errorCode: 'ITEM_NOT_FOUND',
        errorMessage: 'SKU "SKU-1" unknown',
        updatedAt: '2026-11-20T10:01:00Z',
      }),
    ]);
    await send(h.db, [msg('X', { status: 'retrying', processedAt: null, updatedAt: '2026-11-20T10:02:00Z' })]);
    await send(h.db, [msg('X', { status: 'dead_letter', processedAt: null, updatedAt: '2026-11-20T10:03:00Z' })]);
    let k = await kpis();
    expect(k.openExceptions).toBe(1);
    expect(k.oldestOpenException).toMatchObject({ messageId: 'X', openedAt: '2026-11-20T10:01:00.000Z' });
    expect(k.exceptionsByRootCause.master_data).toBe(1);
    await send(h.db, [msg('X', { status: 'delivered', attempts: 3, updatedAt: '2026-11-20T10:04:00Z' })]);
    k = await kpis();
    expect(k.openExceptions).toBe(0);
    expect(k.oldestOpenException).toBeNull();
    const audit = await rows<{ action: string }>(h.db, sql`select action from exception_audit order by id`);
    expect(audit.map((a) => a.action)).toEqual(['opened', 'resolved']);
    // Every replaced version is kept as the message's status history.
    const history = await rows<{ status: string }>(
      h.db,
      sql`select status from message_history where message_id = 'X' order by updated_at`,
    );
    expect(history.map((x) => x.status)).toEqual(['failed', 'retrying', 'dead_letter']);
  });

  it('a failure, delivery and new failure in one batch leave one resolved and one open exception', async () => {
    await send(h.db, [
      msg('Y', { status: 'failed', processedAt: null, updatedAt: '2026-11-20T10:01:00Z' }),
      msg('Y', { status: 'delivered', updatedAt: '2026-11-20T10:02:00Z' }),
      msg('Y', { status: 'failed', processedAt: null, updatedAt: '2026-11-20T10:03:00Z' }),
    ]);
    const ex = await rows<{ state: string; opened_at: Date }>(h.db, sql`select state from exceptions order by id`);
    expect(ex.map((e) => e.state)).toEqual(['resolved', 'open']);
    expect((await kpis()).oldestOpenException?.openedAt).toBe('2026-11-20T10:03:00.000Z');
  });

  it('counts duplicates by content within 24 h, numerically equal quantities, never without a correlation key', async () => {
    await send(h.db, [
      msg('D1', { quantity: 24 }),
      msg('D2', { quantity: '24.000', createdAt: '2026-11-20T12:00:00Z', processedAt: '2026-11-20T12:00:01Z' }),
      // 24 h + 1 s after D2
      msg('D3', { quantity: 24, createdAt: '2026-11-21T12:00:01Z', processedAt: '2026-11-21T12:00:02Z' }),
      msg('D4', { quantity: 25, createdAt: '2026-11-20T13:00:00Z', processedAt: '2026-11-20T13:00:01Z' }),
      msg('N1', { correlationKey: null, createdAt: '2026-11-20T10:00:00Z' }),
      msg('N2', { correlationKey: null, createdAt: '2026-11-20T10:30:00Z', processedAt: '2026-11-20T10:30:01Z' }),
      msg('P1', { status: 'pending', processedAt: null, createdAt: '2026-11-20T14:00:00Z' }),
    ]);
    expect((await kpis()).duplicateCount).toBe(1);
    // The earlier copy may lie before the window.
    expect((await kpis({ from: new Date('2026-11-20T11:00:00Z') })).duplicateCount).toBe(1);
    // A pending copy delivered later becomes a duplicate (of D1), and makes D3 one (P1 is 22 h before it).
    await send(h.db, [msg('P1', { createdAt: '2026-11-20T14:00:00Z', processedAt: '2026-11-20T14:00:09Z' })]);
    expect((await kpis()).duplicateCount).toBe(3);
    // D1 fails on a later update: D2 now repeats nothing delivered; P1 repeats D2, D3 repeats P1.
    await send(h.db, [msg('D1', { status: 'failed', processedAt: null, updatedAt: '2026-11-20T15:00:00Z' })]);
    expect((await kpis()).duplicateCount).toBe(2);
  });

  it('a batch of new and stored messages counts exactly, also after it first went in as all new', async () => {
    freshGuessForTests(true);
    expect(await send(h.db, [msg('S1'), msg('S2')])).toMatchObject({ accepted: 2, updated: 0, unchanged: 0 });
    const failed = msg('S1', {
      status: 'failed',
      processedAt: null,
      errorCode: 'TIMEOUT',
      updatedAt: '2026-11-20T11:00:00Z',
    });
    expect(await send(h.db, [msg('S3'), failed, msg('S2')])).toMatchObject({ accepted: 1, updated: 1, unchanged: 1 });
    // On the Postgres server both batches were tried as all new; the primary key sent the second back.
    expect(freshGuessForTests()).toEqual(h.kind === 'postgres' ? { misses: 1, skip: 2 } : { misses: 0, skip: 0 });
    expect(await kpis()).toMatchObject({ messages: 3, failedMessageRate: 1 / 3, openExceptions: 1 });
    const stored = await rows<{ message_id: string; status: string }>(
      h.db,
      sql`select message_id, status from integration_messages order by 1`,
    );
    expect(stored).toEqual([
      { message_id: 'S1', status: 'failed' },
      { message_id: 'S2', status: 'delivered' },
      { message_id: 'S3', status: 'delivered' },
    ]);
    // The next two batches skip the try; the one after tries again and, all new, resets the guess.
    for (const id of ['S4', 'S5', 'S6']) await send(h.db, [msg(id)]);
    expect(freshGuessForTests()).toEqual({ misses: 0, skip: 0 });
    expect((await kpis()).messages).toBe(6);
  });

  it.runIf(env().DATABASE_URL)(
    'a new batch that went in before the lock and a locked one inserting the same message both end applied, once',
    async () => {
      await send(h.db, [msg('Y')]);
      // A goes in as all new and holds its row for X; B, told to skip the try, takes the lock first
      // and then waits for that row while A waits for the lock: Postgres fails one, which runs again.
      freshGuessForTests(true);
      let bLocked!: () => void;
      const bHasLock = new Promise<void>((r) => (bLocked = r));
      const stages: string[] = [];
      const count = (stage: string) => stages.filter((s) => s === stage).length;
      let b: ReturnType<typeof send> | null = null;
      setIngestFaultForTests(async (stage) => {
        stages.push(stage);
        if (stage === 'before-lock' && count(stage) === 1) {
          freshGuessForTests(true, 1);
          b = send(h.db, [
            msg('Y', { status: 'failed', processedAt: null, updatedAt: '2026-11-20T11:00:00Z' }),
            msg('X'),
          ]);
          await bHasLock;
        }
        if (stage === 'after-lock' && count(stage) === 1) bLocked();
      });
      try {
        const results = [await send(h.db, [msg('X')]), await b!];
        const sum = (k: 'accepted' | 'updated' | 'unchanged') => results.reduce((n, r) => n + r[k], 0);
        expect({ accepted: sum('accepted'), updated: sum('updated'), unchanged: sum('unchanged') }).toEqual({
          accepted: 1,
          updated: 1,
          unchanged: 1,
        });
      } finally {
        setIngestFaultForTests(null);
      }
      expect(stages).toContain('retry');
      expect(await kpis()).toMatchObject({ messages: 2, failedMessageRate: 0.5, openExceptions: 1 });
    },
  );

  it('a batch that fails mid-way leaves nothing of itself', async () => {
    setIngestFaultForTests((stage) => {
      if (stage === 'after-upsert') throw new Error('injected fault');
    });
    try {
      await expect(
        send(h.db, [msg('F1'), msg('F2', { status: 'failed', processedAt: null }), { bad: true }]),
      ).rejects.toThrow('injected fault');
    } finally {
      setIngestFaultForTests(null);
    }
    for (const t of MESSAGE_TABLES) {
      const [{ n }] = await rows<{ n: number }>(h.db, sql.raw(`select count(*)::int as n from ${t}`));
      expect(n, t).toBe(0);
    }
  });
});
