import { describe, expect, it } from 'vitest';
import { emptyFigures } from './figures';

/** The shape of a value's keys, leaves as null: what `--json` promises whatever was measured. */
const shape = (v: unknown): unknown =>
  v !== null && typeof v === 'object'
    ? Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, shape(x)]))
    : null;

describe('the bench figures', () => {
  it('hold exactly the keys of the JSON line (issue 26), each null until measured', () => {
    const f = emptyFigures(30_000_000);
    expect(f.messages).toBe(30_000_000);
    expect(shape({ ...f, messages: null })).toEqual({
      messages: null,
      ingest: { apiPerSec: null, copyIndexedPerSec: null, copyBarePerSec: null },
      kpiP95Ms: { '24h': null, '7d': null, '90d': null },
      plainSqlMs: { '24h': null, '7d': null, '90d': null },
      pagesP95Ms: {
        '/': null,
        '/exceptions': null,
        '/reconciliation': null,
        '/messages': null,
        '/review/daily': null,
        '/tiles': null,
        '/corrections': null,
      },
      rollupRebuildS: null,
      groupByS: null,
      reconcile: { rows: null, s: null, bareJoinS: null },
      retention: { dropS: null, deleteStatements: null },
      imports: { rowsPerSec: null },
      alerts: { evalS: null },
      rssMb: null,
    });
    expect(JSON.stringify(f)).toBe(JSON.stringify(emptyFigures(30_000_000)));
  });
});
