import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { StatusFact } from './fields';
import { statusGroup, summarize, SummaryBuilder, SummaryTable } from './summary';

const CODES = ['03', '53', '51', '29', '31', '68', '50', '64', '01'];

const rowArb = fc.record({
  countr: fc.integer({ min: 1, max: 34 }),
  status: fc.constantFrom(...CODES),
  loggedMs: fc.constantFrom(0, 1000, 2000, 3000, 86_400_000),
  statxt: fc.constantFrom(null, 'Failed &1', 'Dead'),
  stapa1: fc.constantFrom(null, 'P1', 'P2'),
});

type Row = typeof rowArb extends fc.Arbitrary<infer T> ? T : never;

const fact = (r: Row): StatusFact => ({
  docnum: '1',
  countr: r.countr,
  status: r.status,
  loggedMs: r.loggedMs,
  stamid: 'E0',
  stamno: '001',
  statxt: r.statxt,
  stapa1: r.stapa1,
  stapa2: null,
  stapa3: null,
  stapa4: null,
  raw: '',
  file: 'f',
  row: r.countr,
});

/** SPEC 10's reading of a DOCNUM's status rows (one per COUNTR), written out plainly. */
function expected(rows: StatusFact[]) {
  const sorted = [...rows].sort((a, b) => a.countr - b.countr);
  const last = sorted.at(-1) ?? null;
  const failing = sorted.findLast((r) => statusGroup(r.status) === 'failed') ?? null;
  const error = (r: StatusFact | null) => r && { status: r.status, statxt: r.statxt, stapa1: r.stapa1 };
  const group = last ? statusGroup(last.status) : null;
  const times = sorted.filter((r) => ['failed', 'delivered'].includes(statusGroup(r.status))).map((r) => r.loggedMs);
  return {
    count: rows.length,
    lastStatus: last?.status ?? null,
    lastMs: last?.loggedMs ?? 0,
    failing: error(failing),
    lastError: group === 'failed' ? error(failing) : group === 'dead_letter' ? error(last) : null,
    attempts: new Set(times).size,
  };
}

const seen = (s: {
  count: number;
  lastStatus: string | null;
  lastMs: number;
  failing: { status: string; statxt: string | null; stapa1: string | null } | null;
  lastError: { status: string; statxt: string | null; stapa1: string | null } | null;
  attempts: number;
}) => ({
  count: s.count,
  lastStatus: s.lastStatus,
  lastMs: s.lastMs,
  failing: s.failing && { status: s.failing.status, statxt: s.failing.statxt, stapa1: s.failing.stapa1 },
  lastError: s.lastError && { status: s.lastError.status, statxt: s.lastError.statxt, stapa1: s.lastError.stapa1 },
  attempts: s.attempts,
});

it('a summary built row by row, in any order, says what the rows say; a repeated or too high COUNTR is refused (property)', () => {
  fc.assert(
    fc.property(fc.array(rowArb, { maxLength: 12 }), (list) => {
      const rows = list.map(fact);
      const b = new SummaryBuilder();
      const taken: StatusFact[] = [];
      let refused = false;
      for (const r of rows) {
        const fresh = r.countr <= 30 && !taken.some((t) => t.countr === r.countr);
        const ok = b.add(r, r.countr);
        expect(ok).toBe(fresh);
        if (!ok) {
          refused = true;
          break;
        }
        taken.push(r);
      }
      if (refused) return;
      expect(seen(b)).toEqual(expected(rows));
      expect(b.lastPlace).toBe(rows.length ? Math.max(...rows.map((r) => r.countr)) : 0);
      expect(seen(summarize(rows))).toEqual(expected(rows));
    }),
    { numRuns: 2000 },
  );
});

it("a SummaryTable keeps many IDocs' summaries as SummaryBuilders would, with the same refusals (property)", () => {
  fc.assert(
    fc.property(fc.array(fc.array(rowArb, { maxLength: 8 }), { maxLength: 6 }), (idocs) => {
      const table = new SummaryTable();
      const builders = idocs.map(() => new SummaryBuilder());
      idocs.forEach((_, i) => table.start(`D${i}`, true));
      // The rows of the IDocs interleaved, as a table holding many IDocs sees them.
      const longest = Math.max(0, ...idocs.map((l) => l.length));
      for (let k = 0; k < longest; k++)
        idocs.forEach((list, i) => {
          const docnum = `D${i}`;
          const slot = table.slotOf(docnum);
          if (k >= list.length || slot < 0) return;
          const r = fact(list[k]);
          const ok = table.add(slot, r, k * 10 + i);
          expect(ok).toBe(builders[i].add(r, k * 10 + i));
          if (!ok) table.drop(docnum);
        });
      idocs.forEach((_, i) => {
        const s = table.summary(`D${i}`);
        const b = builders[i];
        if (!s) return;
        expect(seen(s)).toEqual(seen(b));
        expect(s.lastPlace).toBe(b.lastPlace);
        table.delete(`D${i}`);
        expect(table.has(`D${i}`)).toBe(false);
      });
    }),
    { numRuns: 1000 },
  );
});
