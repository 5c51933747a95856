import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '@/db';
import { testDb } from '@/lib/testing/db';
import { ADMIN_LISTS } from '@/lib/admin/lists';
import { removeGlossary, saveGlossary } from '@/lib/admin/lists/glossary';
import { removeOwnership, saveOwnership } from '@/lib/admin/lists/ownership';
import { addRule, removeRule } from '@/lib/admin/lists/root-cause-rules';
import { ingestMessages } from '@/lib/ingest/messages';
import { AppError } from '@/lib/errors';
import { reclassifyOpen } from '@/lib/exceptions/actions';
import { computeKpis } from '@/lib/kpi/kpis';

const h = testDb();

async function detailsOf(p: Promise<unknown>): Promise<string[]> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError && e.code === 'validation_failed') return e.details as string[];
    throw e;
  }
  throw new Error('expected a validation error');
}

const failing = (id: string, errorCode: string, errorMessage: string) => ({
  raw: '',
  value: {
    messageId: id,
    txType: 'putaway',
    direction: 'wms_to_erp',
    facility: 'DC1',
    status: 'failed',
    attempts: 1,
    errorCode,
    errorMessage,
    createdAt: '2026-11-20T10:00:00Z',
    updatedAt: '2026-11-20T10:01:00Z',
  },
});

describe('admin lists', () => {
  it('a root-cause rule classifies the next exception opened, and can be removed', async () => {
    expect(
      await detailsOf(
        addRule(h.db, { priority: 'x', errorCodePattern: '(', messagePattern: '', category: 'unclassified' }),
      ),
    ).toEqual([
      'priority: must be a whole number',
      'errorCodePattern: not a regular expression (/(/i: Unterminated group)',
      'category: must be one of ownership, master_data, timing, mapping, exception_handling',
    ]);
    expect(
      await detailsOf(addRule(h.db, { priority: '5', errorCodePattern: ' ', messagePattern: '', category: 'timing' })),
    ).toEqual(['errorCodePattern: give an error code pattern, a message pattern or both']);

    const [before] = await ingestAndClassify('M-1', 'WMS_BIN_404', 'bin 12-A missing');
    expect(before).toBe('unclassified');
    const rule = await addRule(h.db, {
      priority: '5',
      errorCodePattern: '^WMS_BIN',
      messagePattern: '',
      category: 'master_data',
      description: 'Bins',
    });
    expect(rule).toMatchObject({
      priority: 5,
      errorCodePattern: '^WMS_BIN',
      messagePattern: null,
      category: 'master_data',
      description: 'Bins',
    });
    expect(await ingestAndClassify('M-2', 'wms_bin_500', 'bin 12-B missing')).toEqual(['master_data']);
    // M-1 opened before the rule: applied now, the rule classifies it too, with an audit entry, once.
    expect(await reclassifyOpen(h.db, 'admin@example.com')).toBe(1);
    expect(await causeOf('M-1')).toEqual(['master_data']);
    const audit = await rows<{ actor: string; action: string; detail: unknown }>(
      h.db,
      sql`select a.actor, a.action, a.detail from exception_audit a join exceptions e on e.id = a.exception_id
          where e.message_id = 'M-1' order by a.id`,
    );
    expect(audit.at(-1)).toEqual({
      actor: 'admin@example.com',
      action: 'reclassified',
      detail: { from: 'unclassified', to: 'master_data' },
    });
    expect(await reclassifyOpen(h.db, 'admin@example.com')).toBe(0);
    expect(
      (await computeKpis(h.db, { from: new Date('2026-11-20T00:00:00Z'), to: new Date('2026-11-21T00:00:00Z') }))
        .exceptionsByRootCause,
    ).toMatchObject({ master_data: 2, unclassified: 0 });
    // A category a person chose stays.
    await h.db.execute(
      sql`update exceptions set root_cause = 'timing', root_cause_source = 'person' where message_id = 'M-2'`,
    );
    await removeRule(h.db, rule.id);
    expect(await ingestAndClassify('M-3', 'WMS_BIN_404', 'bin 12-C missing')).toEqual(['unclassified']);
    await expect(removeRule(h.db, rule.id)).rejects.toMatchObject({ code: 'not_found' });
    expect(await reclassifyOpen(h.db, 'admin@example.com')).toBe(1); // M-1 back to unclassified; M-2 kept
    expect([await causeOf('M-1'), await causeOf('M-2')]).toEqual([['unclassified'], ['timing']]);
  });

  it('sets, changes and removes who owns a field', async () => {
    expect(await detailsOf(saveOwnership(h.db, { dataObject: 'Item', field: 'base uom', owner: 'both' }))).toEqual([
      'dataObject: lower-case letters, digits and _, as in "item" or "inventory"',
      'field: lower-case letters, digits and _, as in "base_uom"',
      'owner: must be erp, wms or shared',
    ]);
    expect(await saveOwnership(h.db, { dataObject: 'item', field: 'weight', owner: 'wms', precedence: '' })).toEqual({
      created: true,
    });
    expect(
      await saveOwnership(h.db, { dataObject: 'item', field: 'weight', owner: 'shared', precedence: 'wms wins' }),
    ).toEqual({ created: false });
    const list = await ADMIN_LISTS.ownership.load(h.db);
    expect(list.find((o) => o.field === 'weight')).toEqual({
      dataObject: 'item',
      field: 'weight',
      owner: 'shared',
      precedence: 'wms wins',
    });
    await removeOwnership(h.db, 'item', 'weight');
    await expect(removeOwnership(h.db, 'item', 'weight')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('explains an error code, changes the text, and removes it', async () => {
    expect(await detailsOf(saveGlossary(h.db, { errorCode: 'BAD CODE', meaning: '' }))).toEqual([
      'errorCode: no spaces',
      'meaning: is required',
    ]);
    expect(
      await saveGlossary(h.db, { errorCode: 'STATUS_MAP', meaning: 'The status is not mapped.', action: '' }),
    ).toEqual({ created: true });
    expect(
      await saveGlossary(h.db, {
        errorCode: 'STATUS_MAP',
        meaning: 'The status map rejects it.',
        action: 'Fix the map.',
      }),
    ).toEqual({ created: false });
    expect((await ADMIN_LISTS.glossary.load(h.db)).find((g) => g.errorCode === 'STATUS_MAP')).toEqual({
      errorCode: 'STATUS_MAP',
      meaning: 'The status map rejects it.',
      action: 'Fix the map.',
    });
    await removeGlossary(h.db, 'STATUS_MAP');
    await expect(removeGlossary(h.db, 'STATUS_MAP')).rejects.toMatchObject({ code: 'not_found' });
  });
});

/** Ingests one failing message and reads the root cause of the exception it opened. */
async function ingestAndClassify(id: string, code: string, text: string) {
  const r = await ingestMessages(h.db, [failing(id, code, text)], 'test');
  expect(r.accepted).toBe(1);
  return causeOf(id);
}

const causeOf = async (id: string) =>
  (await rows<{ root_cause: string }>(h.db, sql`select root_cause from exceptions where message_id = ${id}`)).map(
    (x) => x.root_cause,
  );
