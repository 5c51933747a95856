/** The runner's own work, whatever the format: history, links to what it produced, rows kept, batches, refusals. */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '@/db';
import { listQuarantine, searchMessages, messageFilters } from '@/lib/messages/queries';
import { testDb } from '@/lib/testing/db';
import { rejectsWithAppError } from '@/lib/testing/errors';
import { memoryFile } from './collect';
import { getImport, listImports } from './history';
import { runImport } from './run';

const h = testDb();

const HEADER = 'uuid,model_name,method_name,state,retry,max_retries,date_created,date_done,exc_name,exc_message';
const job = (i: number, state = 'done') =>
  `job-${i},stock.picking,_export,${state},0,5,2026-11-20 08:00:00,${state === 'done' ? '2026-11-20 08:00:05' : ''},,`;
const csv = (lines: string[]) => [HEADER, ...lines].join('\n');
const OPTIONS = { direction: 'erp_to_wms', facility: 'DC1', 'map.stock.picking': 'receipt' };
const run = (text: string, extra: Partial<Parameters<typeof runImport>[1]> = {}) =>
  runImport(h.db, {
    format: 'oca-queue-job',
    files: [memoryFile('jobs.csv', text, 97)],
    options: OPTIONS,
    source: 'kim@example.com',
    via: 'page',
    ...extra,
  });

describe('an import', () => {
  it('keeps its history: who, how, options, files, counts and time, and links the messages and rows it produced', async () => {
    const text = csv([job(1), job(2, 'failed'), 'job-3,account.move,_post,done,0,5,2026-11-20 08:00:00,,,']);
    const r = await run(text);
    expect(r).toMatchObject({ format: 'oca-queue-job', rows: 3, accepted: 2, updated: 0, unchanged: 0 });
    expect(r.rejected).toEqual([expect.objectContaining({ file: 'jobs.csv', row: 3, index: 3 })]);
    const saved = await getImport(h.db, r.importId!);
    expect(saved).toMatchObject({
      format: 'oca-queue-job',
      via: 'page',
      source: 'kim@example.com',
      options: OPTIONS,
      files: [{ name: 'jobs.csv', size: Buffer.byteLength(text) }],
      bytes: Buffer.byteLength(text),
      status: 'succeeded',
      rows: 3,
      accepted: 2,
      rejected: 1,
      error: null,
    });
    expect(saved!.durationMs).toBeGreaterThanOrEqual(0);
    expect(saved!.finishedAt).not.toBeNull();

    // The log filtered by the import shows its messages, whatever the window; the quarantine its rejected row.
    const f = messageFilters.parse({ import: String(r.importId) });
    const far = { from: new Date('2000-01-01'), to: new Date('2000-01-02') };
    const messages = await searchMessages(h.db, f, far);
    expect(messages.rows.map((m) => m.messageId).sort()).toEqual(['job-1', 'job-2']);
    const q = await listQuarantine(h.db, 1, r.importId!);
    expect(q.rows).toEqual([
      expect.objectContaining({ importId: r.importId, fileName: 'jobs.csv', recordIndex: 3, recordKey: 'job-3' }),
    ]);
    expect(q.rows[0].raw).toContain('account.move');
    expect(q.rows[0].errors.join()).toContain('map.account.move');

    // A second import of the same file changes nothing and still links the same messages.
    const again = await run(text);
    expect(again).toMatchObject({ accepted: 0, updated: 0, unchanged: 2 });
    const second = await searchMessages(h.db, messageFilters.parse({ import: String(again.importId) }), far);
    expect(second.total).toBe(2);
    expect((await listImports(h.db, 1)).rows.map((i) => i.id)).toEqual([again.importId, r.importId]);
  });

  it('sends a long file to the ingest in batches, with each rejected record placed at its row', async () => {
    const lines = Array.from({ length: 10_050 }, (_, i) => job(100_000 + i));
    lines[10_020] = job(999_999, 'done').replace('2026-11-20 08:00:00', 'not a date');
    const r = await run(csv(lines));
    expect(r.rows).toBe(10_050);
    expect(r.accepted).toBe(10_049);
    expect(r.rejected).toHaveLength(1);
    expect(r.rejected[0]).toMatchObject({ file: 'jobs.csv', row: 10_021 });
    const [{ n }] = await rows<{ n: number }>(
      h.db,
      sql`select count(*)::int as n from import_messages where import_id = ${r.importId}`,
    );
    expect(n).toBe(10_049);
  });

  it('stores nothing in a dry run, and says what it would do with the first records', async () => {
    const count = async () => (await rows<{ n: number }>(h.db, sql`select count(*)::int as n from import_runs`))[0].n;
    const before = await count();
    const r = await run(csv([job(7), job(8, 'nonsense')]), { dryRun: true });
    expect(r).toMatchObject({ importId: null, dryRun: true, rows: 2, accepted: 1 });
    expect(r.preview).toEqual([
      { file: 'jobs.csv', row: 1, record: expect.objectContaining({ messageId: 'job-7' }), errors: [] },
    ]);
    expect(r.rejected).toEqual([expect.objectContaining({ row: 2, errors: [expect.stringContaining('nonsense')] })]);
    expect(await count()).toBe(before);
    const [{ n }] = await rows<{ n: number }>(
      h.db,
      sql`select count(*) as n from integration_messages where message_id in ('job-7','job-8')`,
    );
    expect(Number(n)).toBe(0);
  });

  it('refuses what cannot be read as a whole, with a 4xx naming it, and records the failed import', async () => {
    expect((await rejectsWithAppError(run(csv([job(1)]), { format: 'nope' }))).status).toBe(404);
    const zone = await rejectsWithAppError(run(csv([job(1)]), { options: { ...OPTIONS, timezone: 'Mars/Olympus' } }));
    expect(zone.status).toBe(400);
    expect(zone.details).toEqual([expect.stringMatching(/^timezone: "Mars\/Olympus" is not an IANA time zone/)]);
    const nul = await rejectsWithAppError(run(csv([job(1)]), { options: { ...OPTIONS, facility: 'D\0C' } }));
    expect(nul.details).toEqual([expect.stringMatching(/^facility: must not contain NUL/)]);
    const empty = await rejectsWithAppError(run(''));
    expect(empty.status).toBe(400);
    expect(empty.message).toMatch(/jobs\.csv: the file is empty/);
    const none = await rejectsWithAppError(
      runImport(h.db, { format: 'oca-queue-job', files: [], options: OPTIONS, source: null, via: 'api' }),
    );
    expect(none.message).toMatch(/No file was sent/);
    const garbage = await rejectsWithAppError(run('\u0000\u0001\u0002PK'));
    expect(garbage.message).toMatch(/not a text file/);
    const failed = (await listImports(h.db, 1)).rows.filter((i) => i.status === 'failed');
    expect(failed.map((i) => i.error)).toEqual(
      expect.arrayContaining([expect.stringMatching(/the file is empty/), expect.stringMatching(/not a text file/)]),
    );
  });

  it('lets an unsaved mapping profile preview only', async () => {
    const e = await rejectsWithAppError(
      runImport(h.db, {
        format: 'profile',
        files: [memoryFile('x.json', '[]')],
        options: {},
        profile: { name: 'x' },
        source: null,
        via: 'page',
      }),
    );
    expect(e.message).toMatch(/save it first/);
  });
});
