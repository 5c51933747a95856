/**
 * KPIs computed straight from SPEC 4's words over the records as sent, in plain TypeScript,
 * independent of the SQL and the rollups: the oracle for property and fixture tests.
 */
import { percentileCont } from '@/lib/kpi/delay-sketch';
import { toMicros } from '@/lib/time';

export interface SentRecord {
  messageId: string;
  txType: string;
  direction: string;
  facility: string;
  correlationKey?: string | null;
  lineKey?: string | null;
  sku?: string | null;
  quantity?: string | number | null;
  uom?: string | null;
  lot?: string | null;
  location?: string | null;
  status: string;
  attempts?: number;
  errorCode?: string | null;
  errorMessage?: string | null;
  createdAt: string;
  processedAt?: string | null;
  updatedAt?: string | null;
}

const FAIL = new Set(['failed', 'dead_letter']);
const upd = (r: SentRecord) => toMicros(r.updatedAt ?? r.processedAt ?? r.createdAt)!;

function canonicalDecimal(q: string | number | null | undefined): string | null {
  if (q === null || q === undefined) return null;
  let s = String(q).trim().replace(/^\+/, '');
  const neg = s.startsWith('-');
  if (neg) s = s.slice(1);
  let [i, f = ''] = s.split('.');
  i = i.replace(/^0+(?=\d)/, '') || '0';
  f = f.replace(/0+$/, '');
  const out = f ? `${i}.${f}` : i;
  return neg && out !== '0' ? `-${out}` : out;
}

export interface RefException {
  messageId: string;
  facility: string;
  txType: string;
  openedUs: number;
  open: boolean;
}

/** Sends the records in order, one by one, as the API promises to behave. */
export function replay(sent: SentRecord[]) {
  const state = new Map<string, SentRecord>();
  const exceptions: RefException[] = [];
  for (const r of sent) {
    const prev = state.get(r.messageId);
    if (prev && upd(r) <= upd(prev)) continue;
    state.set(r.messageId, r);
    const open = exceptions.find((e) => e.messageId === r.messageId && e.open);
    if (FAIL.has(r.status) && !(prev && FAIL.has(prev.status)) && !open) {
      exceptions.push({ messageId: r.messageId, facility: r.facility, txType: r.txType, openedUs: upd(r), open: true });
    } else if (r.status === 'delivered' && open) {
      open.open = false;
    }
  }
  return { state, exceptions };
}

export function referenceKpis(
  sent: SentRecord[],
  scope: { fromUs: number; toUs: number; facility?: string | null; txType?: string | null },
) {
  const { state, exceptions } = replay(sent);
  const all = [...state.values()];
  const inScope = (r: { facility: string; txType: string }) =>
    (!scope.facility || r.facility === scope.facility) && (!scope.txType || r.txType === scope.txType);
  const win = all.filter((r) => {
    const c = toMicros(r.createdAt)!;
    return c >= scope.fromUs && c < scope.toUs && inScope(r);
  });
  const n = win.length;
  const delivered = win.filter((r) => r.status === 'delivered');
  const delays = delivered.map((r) => (toMicros(r.processedAt!)! - toMicros(r.createdAt)!) / 1000);
  const content = (r: SentRecord) =>
    JSON.stringify([
      r.txType,
      r.direction,
      r.facility,
      r.correlationKey,
      r.lineKey ?? null,
      r.sku ?? null,
      r.lot ?? null,
      r.location ?? null,
      r.uom ?? null,
      canonicalDecimal(r.quantity),
    ]);
  const deliveredAll = all.filter((r) => r.status === 'delivered' && r.correlationKey);
  const before = (a: SentRecord, b: SentRecord) => {
    const ca = toMicros(a.createdAt)!;
    const cb = toMicros(b.createdAt)!;
    return ca < cb || (ca === cb && a.messageId < b.messageId);
  };
  const duplicateCount = delivered.filter(
    (m) =>
      !!m.correlationKey &&
      deliveredAll.some(
        (p) =>
          p !== m &&
          content(p) === content(m) &&
          before(p, m) &&
          toMicros(m.createdAt)! - toMicros(p.createdAt)! <= 24 * 3_600_000_000,
      ),
  ).length;
  const open = exceptions.filter((e) => e.open && inScope(e)).sort((a, b) => a.openedUs - b.openedUs);
  return {
    messages: n,
    failedMessageRate: n ? win.filter((r) => FAIL.has(r.status)).length / n : 0,
    firstPassFailureRate: n ? win.filter((r) => FAIL.has(r.status) || (r.attempts ?? 1) > 1).length / n : 0,
    avgProcessingDelayMs: delays.length ? delays.reduce((s, d) => s + d, 0) / delays.length : null,
    p95ProcessingDelayMs: percentileCont(delays, 0.95),
    duplicateCount,
    openExceptions: open.length,
    oldestOpenedUs: open[0]?.openedUs ?? null,
    /** Messages in the window per status (the log explorer's totals). */
    byStatus: Object.fromEntries(
      ['pending', 'retrying', 'delivered', 'failed', 'dead_letter'].map((st) => [
        st,
        win.filter((r) => r.status === st).length,
      ]),
    ),
  };
}
