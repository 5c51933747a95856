/**
 * The running state of one simulation and the verbs the traffic and the scenarios write it with:
 * one random stream (every draw in a fixed order, so a seed gives the same data), the messages
 * sent, the stock each system believes it has, and the ground truth of what was injected.
 */
import type { GroundTruth, SimChange, SimCorrection, SimMessage } from '@/lib/simulator/model';
import { DAY_MS, rng } from '@/lib/simulator/model';
import type { ScenarioName } from '@/lib/simulator/scenario';

/** A message as a flow states it; the simulation fills in its id, times and outcome. */
export type Emitted = Omit<
  SimMessage,
  'messageId' | 'updatedAt' | 'processedAt' | 'attempts' | 'errorCode' | 'errorMessage' | 'payload' | 'createdAt'
> &
  Partial<SimMessage>;

export interface SimFrame {
  seed: number;
  facilities: string[];
  days: number;
  messagesPerDay: number;
  startMs: number;
  endMs: number;
  /** Scales every scenario's rate. */
  scale: number;
}

export function createSim(frame: SimFrame) {
  const { endMs } = frame;
  const rand = rng(frame.seed);
  const messages: SimMessage[] = [];
  const corrections: SimCorrection[] = [];
  const changes: SimChange[] = [];
  const truth = new Map<ScenarioName, GroundTruth>();
  /** In base units: facility|sku|location|lot → quantity. */
  const stock = { erp: new Map<string, number>(), wms: new Map<string, number>() };
  let seq = 0;
  let emitted = 0;
  const iso = (ms: number) => new Date(ms).toISOString();
  const delay = () => Math.round(800 + Math.exp(rand() * 9)); // 0.8 s to ~9 s, long tail

  /** Sends a message; its outcome is `status` unless it would be processed after the end. */
  function emit(m: Emitted, createdMs: number, delayMs = delay()) {
    const source = m.direction === 'erp_to_wms' ? 'ERP' : 'WMS';
    const kind = m.txType.replace(/_/g, '').toUpperCase().slice(0, 4);
    const messageId = m.messageId ?? `${source}-${kind}-${String(++seq).padStart(7, '0')}`;
    const processedMs = createdMs + delayMs;
    const status = m.status;
    const rec: SimMessage = {
      attempts: 1,
      errorCode: null,
      errorMessage: null,
      payload: {},
      ...m,
      messageId,
      createdAt: iso(createdMs),
      processedAt: status === 'delivered' ? iso(processedMs) : null,
      updatedAt: iso(status === 'delivered' ? processedMs : createdMs + Math.min(delayMs, 60_000)),
    };
    rec.payload = {
      source: rec.direction === 'erp_to_wms' ? 'ERP' : 'WMS',
      doc: rec.correlationKey,
      line: rec.lineKey,
      sku: rec.sku,
      qty: rec.quantity,
      uom: rec.uom,
      ...m.payload,
    };
    // A delivery that would land after the end is still in flight: pending.
    const inFlight = processedMs > endMs && status === 'delivered';
    const stored = inFlight ? { ...rec, status: 'pending' as const, processedAt: null, updatedAt: rec.createdAt } : rec;
    messages.push(stored);
    emitted++;
    return stored;
  }

  return {
    ...frame,
    messages,
    corrections,
    changes,
    stock,
    rand,
    pick: <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)],
    chance: (p: number) => rand() < p,
    iso,
    delay,
    emit,
    /** The last number given to a document, message or correction. */
    seq: () => seq,
    nextSeq: () => ++seq,
    /** How many messages `emit` has sent so far. */
    emitted: () => emitted,
    /** Item master faults hit traffic in the last quarter of the period (the item was set up late). */
    masterFaultsFrom: endMs - Math.max(1, Math.round(frame.days / 4)) * DAY_MS,

    move(system: 'erp' | 'wms', facility: string, sku: string, location: string, lot: string | null, qty: number) {
      const k = `${facility}|${sku}|${location}|${lot ?? ''}`;
      stock[system].set(k, (stock[system].get(k) ?? 0) + qty);
    },

    /** A failure that the middleware retries successfully `after` ms later (if before the end). */
    failThenDeliver(m: SimMessage, code: string, text: string, after: number) {
      const failedAt = Date.parse(m.createdAt) + 30_000;
      const idx = messages.lastIndexOf(m);
      const failed = { status: 'failed', attempts: 1, errorCode: code, errorMessage: text } as const;
      messages[idx] = { ...m, ...failed, processedAt: null, updatedAt: iso(failedAt) };
      const doneMs = failedAt + after;
      if (doneMs > endMs) return false;
      const delivered = { status: 'delivered', attempts: 2, errorCode: null, errorMessage: null } as const;
      messages.push({ ...m, ...delivered, processedAt: iso(doneMs), updatedAt: iso(doneMs) });
      return true;
    },

    fail(m: SimMessage, status: 'failed' | 'dead_letter', code: string, text: string) {
      const idx = messages.lastIndexOf(m);
      const at = Date.parse(m.createdAt) + 45_000;
      const attempts = status === 'dead_letter' ? 5 : 1;
      const failed = { status, attempts, errorCode: code, errorMessage: text };
      messages[idx] = { ...m, ...failed, processedAt: null, updatedAt: iso(at) };
    },

    /** Records that scenario `s` wrote `id`. */
    record(s: ScenarioName, id: string) {
      const t = truth.get(s) ?? { scenario: s, injected: 0, ids: [] };
      t.injected++;
      if (t.ids.length < 50) t.ids.push(id);
      truth.set(s, t);
    },
    truth: () => [...truth.values()],
  };
}

export type Sim = ReturnType<typeof createSim>;
