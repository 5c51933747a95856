/**
 * The state machine against a small reference model (fast-check): random rules and value series,
 * silences and acknowledgements, and the properties SPEC 9 names checked on every run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acknowledgeStep, NEW_ALERT, step, type AlertSnapshot, type RuleTiming } from '@/lib/alerts/state';

type Tick = { dt: number; value: number | null; silenced: boolean; ack: boolean };
type Sent = { at: number; event: string; suppressed: boolean };

const ruleArb = fc
  .record({
    op: fc.constantFrom('>' as const, '<' as const),
    band: fc.integer({ min: 0, max: 20 }),
    pendingForS: fc.constantFrom(0, 60, 300),
    repeatEveryS: fc.constantFrom(null, 300, 900),
    escalateAfterS: fc.constantFrom(null, 600),
    notifyResolved: fc.boolean(),
  })
  .map(({ op, band, ...r }): RuleTiming => ({
    ...r,
    op,
    threshold: 50,
    resolveThreshold: op === '>' ? 50 - band : 50 + band,
  }));
const tickArb = fc.record({
  dt: fc.integer({ min: 30, max: 400 }),
  value: fc.option(fc.integer({ min: 0, max: 100 }), { freq: 10 }),
  silenced: fc.boolean(),
  ack: fc.boolean(),
});
const seriesArb = fc.array(tickArb, { minLength: 1, maxLength: 60 });

/** Runs the machine over a series: what it sent, its transitions and its states, with times. */
function run(rule: RuleTiming, ticks: Tick[]) {
  let s: AlertSnapshot = NEW_ALERT;
  let now = 1_000_000;
  const sent: Sent[] = [];
  const moves: { at: number; from: string; to: string; value: number | null }[] = [];
  const acks: number[] = [];
  for (const t of ticks) {
    now += t.dt * 1000;
    const r = step(rule, s, { now, value: t.value, silenced: t.silenced });
    s = r.next;
    for (const e of r.events) sent.push({ at: now, ...e });
    for (const m of r.transitions) moves.push({ at: now, ...m, value: t.value });
    if (t.ack) {
      const a = acknowledgeStep(s, now);
      if (a) {
        s = a;
        acks.push(now);
      }
    }
  }
  return { sent, moves, acks };
}

/** The reference: the rules of SPEC 9 written out over the series, episode by episode. */
function reference(rule: RuleTiming, ticks: Tick[]): Sent[] {
  const out: Sent[] = [];
  const resolveAt = rule.resolveThreshold ?? rule.threshold;
  const over = (v: number | null) => v !== null && (rule.op === '>' ? v > rule.threshold : v < rule.threshold);
  const back = (v: number | null) => v !== null && (rule.op === '>' ? v <= resolveAt : v >= resolveAt);
  let now = 1_000_000;
  let runStart: number | null = null; // the breach run of a pending alert
  let episode: { start: number; acked: boolean; escalated: boolean; lastSent: number; held: boolean } | null = null;
  for (const t of ticks) {
    now += t.dt * 1000;
    const send = (event: string) => {
      out.push({ at: now, event, suppressed: t.silenced });
      if (t.silenced && event !== 'resolved' && episode) episode.held = true;
    };
    if (!episode) {
      if (!over(t.value)) runStart = null;
      else {
        runStart ??= now;
        if (now - runStart >= rule.pendingForS * 1000) {
          episode = { start: now, acked: false, escalated: false, lastSent: now, held: false };
          runStart = null;
          send('firing');
        }
      }
    } else if (back(t.value)) {
      if (rule.notifyResolved) send('resolved');
      episode = null;
    } else if (!episode.acked) {
      if (episode.held && !t.silenced) {
        episode.held = false;
        episode.lastSent = now;
        send('firing');
      }
      if (rule.escalateAfterS !== null && !episode.escalated && now - episode.start >= rule.escalateAfterS * 1000) {
        episode.escalated = true;
        send('escalated');
      }
      if (rule.repeatEveryS !== null && now - episode.lastSent >= rule.repeatEveryS * 1000) {
        episode.lastSent = now;
        send('repeat');
      }
    }
    if (t.ack && episode && !episode.acked) {
      episode.acked = true;
      episode.held = false;
    }
  }
  return out;
}

describe('the alert state machine', () => {
  it('sends what the reference model sends, at the same times', () => {
    fc.assert(
      fc.property(ruleArb, seriesArb, (rule, ticks) => {
        expect(run(rule, ticks).sent).toEqual(reference(rule, ticks));
      }),
      { numRuns: 2000 },
    );
  });

  it('one firing per episode, nothing inside the hysteresis band, nothing before pendingFor', () => {
    fc.assert(
      fc.property(ruleArb, seriesArb, (rule, ticks) => {
        const { sent, moves } = run(rule, ticks);
        const over = (v: number | null) => v !== null && (rule.op === '>' ? v > 50 : v < 50);
        const starts = moves.filter((m) => m.to === 'firing');
        // Each episode starts with exactly one firing, at its start; other firings only release a silence.
        for (const m of starts) expect(sent.filter((e) => e.at === m.at && e.event === 'firing')).toHaveLength(1);
        // A state changes only on a value across the threshold (up) or the resolve threshold (down).
        for (const m of moves) {
          if (m.to === 'firing' || m.to === 'pending') expect(over(m.value)).toBe(true);
          if (m.from === 'firing') expect(m.value !== null && !over(m.value)).toBe(true);
          if (m.from === 'firing' && m.value !== null)
            expect(rule.op === '>' ? m.value <= rule.resolveThreshold! : m.value >= rule.resolveThreshold!).toBe(true);
        }
        // Firing only once the condition held pendingFor (it entered pending that long before).
        for (const m of starts) {
          if (rule.pendingForS === 0) continue;
          const entered = moves.filter((p) => p.to === 'pending' && p.at < m.at).at(-1);
          expect(entered).toBeDefined();
          expect(m.at - entered!.at).toBeGreaterThanOrEqual(rule.pendingForS * 1000);
        }
        // No resolved without a firing before it; resolved only when notifyResolved.
        if (!rule.notifyResolved) expect(sent.some((e) => e.event === 'resolved')).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('nothing after acknowledge until resolve; repeat and escalated on time; silences suppress and release', () => {
    fc.assert(
      fc.property(ruleArb, seriesArb, (rule, ticks) => {
        const { sent, moves, acks } = run(rule, ticks);
        const ends = moves.filter((m) => m.from === 'firing').map((m) => m.at);
        for (const a of acks) {
          const end = ends.find((e) => e >= a) ?? Infinity;
          expect(sent.filter((e) => e.at > a && e.at < end)).toEqual([]);
        }
        // Every event sent at a silenced moment is suppressed, and only those.
        let now = 1_000_000;
        const silencedAt = new Map<number, boolean>();
        for (const t of ticks) silencedAt.set((now += t.dt * 1000), t.silenced);
        for (const e of sent) expect(e.suppressed).toBe(silencedAt.get(e.at));
        // Repeats come repeatEvery after the last firing or repeat, at the first evaluation due.
        const maxDt = 400_000;
        let last: number | null = null;
        for (const e of sent) {
          if (e.event === 'repeat') {
            expect(rule.repeatEveryS).not.toBeNull();
            expect(e.at - last!).toBeGreaterThanOrEqual(rule.repeatEveryS! * 1000);
            expect(e.at - last!).toBeLessThan(rule.repeatEveryS! * 1000 + maxDt);
          }
          if (e.event === 'firing' || e.event === 'repeat') last = e.at;
          if (e.event === 'resolved') last = null;
        }
        for (const e of sent.filter((x) => x.event === 'escalated')) {
          const start = moves.filter((m) => m.to === 'firing' && m.at <= e.at).at(-1)!.at;
          expect(e.at - start).toBeGreaterThanOrEqual(rule.escalateAfterS! * 1000);
          expect(e.at - start).toBeLessThan(rule.escalateAfterS! * 1000 + maxDt);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('releases a silenced firing when the silence ends, and not after an acknowledge', () => {
    const rule: RuleTiming = {
      op: '>',
      threshold: 10,
      resolveThreshold: 5,
      pendingForS: 0,
      repeatEveryS: null,
      escalateAfterS: null,
      notifyResolved: true,
    };
    const t = (dt: number, value: number, silenced: boolean, ack = false) => ({ dt, value, silenced, ack });
    expect(run(rule, [t(60, 20, true), t(60, 20, true), t(60, 20, false), t(60, 20, false)]).sent).toEqual([
      { at: 1_060_000, event: 'firing', suppressed: true },
      { at: 1_180_000, event: 'firing', suppressed: false },
    ]);
    expect(run(rule, [t(60, 20, true, true), t(60, 20, false), t(60, 7, false), t(60, 1, false)]).sent).toEqual([
      { at: 1_060_000, event: 'firing', suppressed: true },
      { at: 1_240_000, event: 'resolved', suppressed: false },
    ]);
  });
});
