import { describe, expect, it } from 'vitest';
import { testDb } from '@/lib/testing/db';
import {
  listThresholds,
  parseThreshold,
  parseThresholdForm,
  removeThreshold,
  saveThreshold,
} from '@/lib/kpi/threshold-settings';
import { thresholdsFor, toneOf } from '@/lib/kpi/thresholds';
import { AppError } from '@/lib/errors';
import { seedDefaults } from '@/lib/bootstrap';

const h = testDb();

/** The field errors an invalid threshold gets, or null when it is valid. */
function errorsOf(f: () => unknown): string[] | null {
  try {
    f();
    return null;
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    expect(e.code).toBe('validation_failed');
    return e.details as string[];
  }
}

describe('thresholds', () => {
  it('reads the form in the units of the tiles: percent for rates, seconds for durations', () => {
    expect(
      parseThresholdForm({ kpi: 'failedMessageRate', facility: 'DC1', amber: '1.5', red: '3', worse: 'up' }),
    ).toEqual({
      kpi: 'failedMessageRate',
      facility: 'DC1',
      amber: 0.015,
      red: 0.03,
      worse: 'up',
    });
    expect(
      parseThresholdForm({ kpi: 'avgProcessingDelayMs', facility: '*', amber: ' 90 ', red: '300', worse: 'up' }),
    ).toMatchObject({ amber: 90_000, red: 300_000 });
    expect(
      parseThresholdForm({ kpi: 'openExceptions', facility: '*', amber: '25', red: '100', worse: 'up' }),
    ).toMatchObject({ amber: 25, red: 100 });
    // The API takes the units of /api/v1/kpis.
    expect(
      parseThreshold({ kpi: 'failedMessageRate', facility: '*', amber: 0.01, red: 0.02, worse: 'up' }),
    ).toMatchObject({ amber: 0.01 });
  });

  it('answers each bad field with its own error', () => {
    expect(
      errorsOf(() => parseThresholdForm({ kpi: 'nope', facility: 'DC 1', amber: '', red: 'x', worse: 'sideways' })),
    ).toEqual([
      'kpi: must be one of the KPIs',
      'facility: must be a facility code, or * for every facility',
      'amber: must be a number',
      'red: must be a number',
      "worse: must be 'up' (higher is worse) or 'down' (lower is worse)",
    ]);
    expect(
      errorsOf(() =>
        parseThresholdForm({ kpi: 'failedMessageRate', facility: '*', amber: '5', red: '2', worse: 'up' }),
      ),
    ).toEqual(['red: must be at least amber (5.00%) when higher is worse']);
    expect(
      errorsOf(() => parseThresholdForm({ kpi: 'messages', facility: '*', amber: '100', red: '500', worse: 'down' })),
    ).toEqual(['red: must be at most amber (100) when lower is worse']);
    expect(
      errorsOf(() =>
        parseThresholdForm({ kpi: 'failedMessageRate', facility: '*', amber: '50', red: '150', worse: 'up' }),
      ),
    ).toEqual(['red: a rate is at most 100%']);
    expect(
      errorsOf(() => parseThreshold({ kpi: 'duplicateCount', facility: '*', amber: -1, red: 3, worse: 'up' })),
    ).toEqual(['amber: must be 0 or more']);
    expect(errorsOf(() => parseThreshold(null))).toHaveLength(1);
    // Equal levels are allowed: the value turns red at once.
    expect(
      errorsOf(() => parseThreshold({ kpi: 'duplicateCount', facility: '*', amber: 3, red: 3, worse: 'up' })),
    ).toBeNull();
  });

  it('gives a facility its own levels over the default, and the default back when they are removed', async () => {
    const base = await thresholdsFor(h.db, 'DC1');
    expect(base.failedMessageRate).toEqual({ amber: 0.01, red: 0.03, worse: 'up' });
    expect(
      await saveThreshold(h.db, { kpi: 'failedMessageRate', facility: 'DC1', amber: 0.05, red: 0.1, worse: 'up' }),
    ).toEqual({ created: true });
    const dc1 = await thresholdsFor(h.db, 'DC1');
    expect(dc1.failedMessageRate).toEqual({ amber: 0.05, red: 0.1, worse: 'up' });
    // 4% is amber by the default, green at DC1; DC2 keeps the default.
    expect(toneOf(0.04, base.failedMessageRate)).toBe('bad');
    expect(toneOf(0.04, dc1.failedMessageRate)).toBe('ok');
    expect((await thresholdsFor(h.db, 'DC2')).failedMessageRate).toEqual(base.failedMessageRate);
    // Saving again changes it in place.
    expect(
      await saveThreshold(h.db, { kpi: 'failedMessageRate', facility: 'DC1', amber: 0.06, red: 0.1, worse: 'up' }),
    ).toEqual({ created: false });
    const rows = (await listThresholds(h.db)).filter((r) => r.kpi === 'failedMessageRate');
    expect(rows.map((r) => [r.facility, r.amber, r.label, r.format])).toEqual([
      ['*', 0.01, 'Failed message rate', 'percent'],
      ['DC1', 0.06, 'Failed message rate', 'percent'],
    ]);
    await removeThreshold(h.db, 'failedMessageRate', 'DC1');
    expect((await thresholdsFor(h.db, 'DC1')).failedMessageRate).toEqual(base.failedMessageRate);
    await expect(removeThreshold(h.db, 'failedMessageRate', 'DC1')).rejects.toMatchObject({ code: 'not_found' });
    // Without any threshold a KPI is neutral.
    await removeThreshold(h.db, 'duplicateCount', '*');
    expect(toneOf(5, (await thresholdsFor(h.db, null)).duplicateCount)).toBe('neutral');
    // A restart seeds the defaults into empty tables only: what an admin removed stays removed.
    await seedDefaults(h.db);
    expect((await thresholdsFor(h.db, null)).duplicateCount).toBeUndefined();
  });
});
