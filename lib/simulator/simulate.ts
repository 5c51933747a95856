/**
 * A simulated ERP–WMS pair: documents flow through their lifecycles (PO → receipt → putaway,
 * release → pick → shipment, adjustments, counts, transfers, returns), each system keeps the stock
 * its own postings imply, and the named scenarios inject their faults at known rates with a
 * ground-truth record. Deterministic for a seed.
 */
import { SCENARIO_NAMES, type ScenarioName } from '@/lib/simulator/scenarios';

export interface SimOptions {
  facilities: number;
  days: number;
  messagesPerDay: number;
  seed: number;
  scenarios?: ScenarioName[];
  /** The simulated period ends here (default: now). */
  end?: Date;
  /** Scales every scenario's rate (tests use higher rates on small data). */
  faultRate?: number;
}

export interface SimMessage {
  messageId: string;
  txType: string;
  direction: 'erp_to_wms' | 'wms_to_erp';
  facility: string;
  correlationKey: string | null;
  lineKey: string | null;
  sku: string | null;
  quantity: string | null;
  uom: string | null;
  lot: string | null;
  location: string | null;
  /** Whom an outbound document is for. */
  customer?: string | null;
  status: 'pending' | 'retrying' | 'delivered' | 'failed' | 'dead_letter';
  attempts: number;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: string;
  processedAt: string | null;
  updatedAt: string;
  payload: Record<string, unknown>;
}

export interface SimItem {
  system: 'erp' | 'wms';
  sku: string;
  description: string;
  baseUom: string;
  uoms: { uom: string; toBase: number }[];
  lotControlled: boolean;
  serialControlled: boolean;
  unitCost: string | null;
  status: string;
}

export interface SimCorrection {
  correctionId: string;
  system: 'erp' | 'wms';
  facility: string;
  sku: string;
  location: string | null;
  lot: string | null;
  quantityDelta: string;
  uom: string;
  reasonCode: string;
  user: string;
  at: string;
  effortMinutes: number;
}

export interface SimChange {
  changeId: string;
  at: string;
  system: string;
  kind: 'mapping' | 'config' | 'release';
  summary: string;
  integrationReviewed: boolean;
}

export interface SimSnapshot {
  system: 'erp' | 'wms';
  facility: string;
  takenAt: string;
  rows: { sku: string; location: string; lot: string | null; uom: string; quantity: string }[];
}

export interface GroundTruth {
  scenario: ScenarioName;
  injected: number;
  /** Message, correction or change ids the scenario wrote (first 50). */
  ids: string[];
}

/** Default chance per eligible event (× faultRate). */
const RATES: Record<ScenarioName, number> = {
  retry_duplicate: 0.01,
  timeout_then_delivered: 0.02,
  dead_letter: 0.003,
  uom_case_vs_each: 0.01,
  item_missing_in_wms: 1, // applies to the items it names
  lot_control_mismatch: 1,
  item_master_drift: 1, // applies to the items it names
  location_unknown: 0.01,
  sent_before_prerequisite: 0.01,
  batch_delay: 1,
  status_mapping_drift: 0.05,
  ownership_overwrite: 1,
  duplicate_manual_correction: 0.3,
  partial_receipt: 0.05,
  over_receipt: 0.02,
  cancel_after_release: 0.01,
  cycle_count_reversal: 0.1,
  inter_facility_transfer: 1,
  return_to_stock: 1,
  damaged_hold: 1,
  lot_split: 0.25,
  serial_correction: 1,
};

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SKU_COUNT = 60;
const CUSTOMERS = ['Northwind Retail', 'Contoso Stores', 'Fabrikam Outdoor', 'Tailspin Toys', 'Wide World Importers', 'Litware Labs'];
const CASE = 12;
export const skuCode = (i: number) => `SKU-${String(10000 + i)}`;

export function simulate(opts: SimOptions) {
  const rand = rng(opts.seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const chance = (p: number) => rand() < p;
  const active = new Set<ScenarioName>(opts.scenarios?.length ? opts.scenarios : SCENARIO_NAMES);
  const scale = opts.faultRate ?? 1;
  const truth = new Map<ScenarioName, GroundTruth>();
  const inject = (s: ScenarioName, id: string) => {
    const t = truth.get(s) ?? { scenario: s, injected: 0, ids: [] };
    t.injected++;
    if (t.ids.length < 50) t.ids.push(id);
    truth.set(s, t);
  };
  const on = (s: ScenarioName) => active.has(s) && chance(Math.min(1, RATES[s] * scale));

  const facilities = Array.from({ length: opts.facilities }, (_, i) => `DC${i + 1}`);
  const end = opts.end ?? new Date();
  const endMs = Math.floor(end.getTime() / 60_000) * 60_000;
  const startMs = endMs - opts.days * 86_400_000;

  // ---- item masters: equal in both systems but for the scenarios that say otherwise
  const items: SimItem[] = [];
  const missingInWms = new Set([skuCode(58)]);
  const lotMismatch = new Set([skuCode(55)]);
  // Hand edits in the WMS item master (item_master_drift): case size, status, a retyped code.
  const drift = { caseOf10: skuCode(52), blocked: skuCode(53), lowerCase: skuCode(54) };
  for (let i = 0; i < SKU_COUNT; i++) {
    const sku = skuCode(i);
    const base: Omit<SimItem, 'system'> = {
      sku,
      description: `Item ${i} ${pick(['carton', 'bottle', 'pallet wrap', 'valve', 'bracket', 'filter'])}`,
      baseUom: 'EA',
      uoms: [{ uom: 'CASE', toBase: CASE }],
      lotControlled: i % 3 === 0,
      serialControlled: i % 17 === 0,
      unitCost: (2 + ((i * 7.31) % 90)).toFixed(2),
      status: 'active',
    };
    items.push({ system: 'erp', ...base });
    if (active.has('item_missing_in_wms') && missingInWms.has(sku)) {
      inject('item_missing_in_wms', sku);
      continue;
    }
    const wms: SimItem = { system: 'wms', ...base, unitCost: null };
    if (active.has('lot_control_mismatch') && lotMismatch.has(sku)) {
      wms.lotControlled = !base.lotControlled;
      inject('lot_control_mismatch', sku);
    }
    if (active.has('item_master_drift')) {
      if (sku === drift.caseOf10) wms.uoms = [{ uom: 'CASE', toBase: 10 }];
      else if (sku === drift.blocked) wms.status = 'blocked';
      else if (sku === drift.lowerCase) wms.sku = sku.toLowerCase();
      if (Object.values(drift).includes(sku)) inject('item_master_drift', sku);
    }
    items.push(wms);
  }

  // ---- stock each system believes it has, in base units: facility|sku|location|lot → qty
  const stock = { erp: new Map<string, number>(), wms: new Map<string, number>() };
  const move = (system: 'erp' | 'wms', facility: string, sku: string, location: string, lot: string | null, qty: number) => {
    const k = `${facility}|${sku}|${location}|${lot ?? ''}`;
    stock[system].set(k, (stock[system].get(k) ?? 0) + qty);
  };
  // opening stock, equal on both sides
  for (const f of facilities) {
    for (let i = 0; i < SKU_COUNT; i++) {
      const sku = skuCode(i);
      const loc = `A-${String((i % 20) + 1).padStart(2, '0')}-${String((i % 5) + 1).padStart(2, '0')}`;
      const lot = i % 3 === 0 ? `L${1000 + i}` : null;
      const q = 100 + Math.floor(rand() * 400);
      move('erp', f, sku, loc, lot, q);
      move('wms', f, sku, loc, lot, q);
    }
  }

  const messages: SimMessage[] = [];
  const corrections: SimCorrection[] = [];
  const changes: SimChange[] = [];
  let seq = 0;
  const iso = (ms: number) => new Date(ms).toISOString();
  const delay = () => Math.round(800 + Math.exp(rand() * 9)); // 0.8 s to ~9 s, long tail

  function emit(m: Omit<SimMessage, 'messageId' | 'updatedAt' | 'processedAt' | 'attempts' | 'errorCode' | 'errorMessage' | 'payload' | 'createdAt'> & Partial<SimMessage>, createdMs: number, delayMs = delay()) {
    const messageId = m.messageId ?? `${m.direction === 'erp_to_wms' ? 'ERP' : 'WMS'}-${m.txType.replace(/_/g, '').toUpperCase().slice(0, 4)}-${String(++seq).padStart(7, '0')}`;
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
    rec.payload = { source: rec.direction === 'erp_to_wms' ? 'ERP' : 'WMS', doc: rec.correlationKey, line: rec.lineKey, sku: rec.sku, qty: rec.quantity, uom: rec.uom, ...m.payload };
    // A delivery that would land after the end is still in flight: pending.
    const stored = processedMs <= endMs || status !== 'delivered' ? rec : { ...rec, status: 'pending' as const, processedAt: null, updatedAt: rec.createdAt };
    messages.push(stored);
    return stored;
  }

  /** A failure that the middleware retries successfully `after` ms later. */
  function failThenDeliver(m: SimMessage, code: string, text: string, after: number) {
    const failedAt = Date.parse(m.createdAt) + 30_000;
    const idx = messages.lastIndexOf(m);
    const failed: SimMessage = { ...m, status: 'failed', attempts: 1, errorCode: code, errorMessage: text, processedAt: null, updatedAt: iso(failedAt) };
    messages[idx] = failed;
    const doneMs = failedAt + after;
    if (doneMs <= endMs) {
      messages.push({ ...m, status: 'delivered', attempts: 2, errorCode: null, errorMessage: null, processedAt: iso(doneMs), updatedAt: iso(doneMs) });
      return true;
    }
    return false;
  }

  function fail(m: SimMessage, status: 'failed' | 'dead_letter', code: string, text: string) {
    const idx = messages.lastIndexOf(m);
    const at = Date.parse(m.createdAt) + 45_000;
    messages[idx] = { ...m, status, attempts: status === 'dead_letter' ? 5 : 1, errorCode: code, errorMessage: text, processedAt: null, updatedAt: iso(at) };
  }

  const mappingDriftStart = startMs + Math.floor(opts.days * 0.6) * 86_400_000 + 9 * 3_600_000;
  if (active.has('status_mapping_drift')) {
    const id = 'CHG-MAP-SHIP-STATUS';
    changes.push({ changeId: id, at: iso(mappingDriftStart), system: 'middleware', kind: 'mapping', summary: 'Shipment status map v2: CLOSED → POSTED', integrationReviewed: false });
    inject('status_mapping_drift', id);
  }
  changes.push({ changeId: 'CHG-REL-WMS-24.3', at: iso(startMs + 3 * 86_400_000 + 20 * 3_600_000), system: 'wms', kind: 'release', summary: 'WMS release 24.3 (wave picking)', integrationReviewed: true });
  changes.push({ changeId: 'CHG-CFG-RETRY', at: iso(startMs + Math.floor(opts.days * 0.3) * 86_400_000 + 14 * 3_600_000), system: 'middleware', kind: 'config', summary: 'Retry policy: 5 attempts, exponential back-off', integrationReviewed: true });

  const batchFacility = facilities[facilities.length - 1];
  // Item master faults hit traffic in the last quarter of the period (the item was set up late).
  const masterFaultsFrom = endMs - Math.max(1, Math.round(opts.days / 4)) * 86_400_000;
  const locOf = (sku: string) => {
    const i = Number(sku.slice(4)) - 10000;
    return `A-${String((i % 20) + 1).padStart(2, '0')}-${String((i % 5) + 1).padStart(2, '0')}`;
  };
  const lotOf = (sku: string) => {
    const i = Number(sku.slice(4)) - 10000;
    return i % 3 === 0 ? `L${1000 + i}` : null;
  };
  const skus = Array.from({ length: SKU_COUNT }, (_, i) => skuCode(i));

  for (let day = 0; day < opts.days; day++) {
    const dayStart = startMs + day * 86_400_000;
    for (const facility of facilities) {
      let budget = opts.messagesPerDay;
      while (budget > 0) {
        // business hours weighted: most traffic 06:00–22:00
        const hour = rand() < 0.85 ? 6 + Math.floor(rand() * 16) : Math.floor(rand() * 24);
        const t = dayStart + hour * 3_600_000 + Math.floor(rand() * 3_600_000);
        if (t >= endMs) {
          budget--;
          continue;
        }
        const sku = pick(skus);
        const loc = locOf(sku);
        const lot = lotOf(sku);
        const flow = rand();
        const doc = (p: string) => `${p}-${facility}-${String(++seq).padStart(7, '0')}`;

        if (flow < 0.35) {
          // inbound: PO down, receipt up, putaway up
          const po = doc('PO');
          const ordered = CASE * (1 + Math.floor(rand() * 10));
          const poMsg = emit({ txType: 'purchase_order', direction: 'erp_to_wms', facility, correlationKey: po, lineKey: '10', sku, quantity: String(ordered), uom: 'EA', lot: null, location: null, status: 'delivered' }, t);
          budget--;
          if (missingInWms.has(sku) && active.has('item_missing_in_wms') && t > masterFaultsFrom) {
            fail(poMsg, 'failed', 'ITEM_NOT_FOUND', `Item "${sku}" does not exist in WMS item master`);
            inject('item_missing_in_wms', poMsg.messageId);
            continue;
          }
          let received = ordered;
          if (on('partial_receipt')) { received = Math.max(1, Math.floor(ordered * (0.3 + rand() * 0.5))); inject('partial_receipt', po); }
          else if (on('over_receipt')) { received = ordered + CASE; inject('over_receipt', po); }
          const early = on('sent_before_prerequisite');
          const rt = early ? t - 5 * 60_000 : t + 2 * 3_600_000 + Math.floor(rand() * 20 * 3_600_000);
          if (rt >= endMs) continue;
          const wrongUom = received % CASE === 0 && on('uom_case_vs_each');
          const rc = emit({ txType: 'receipt', direction: 'wms_to_erp', facility, correlationKey: po, lineKey: '10', sku, quantity: String(wrongUom ? received / CASE : received), uom: 'EA', lot, location: 'DOCK-01', status: 'delivered' }, rt);
          budget--;
          // A receipt read in the wrong unit is put away to a staging bin of its own, so the
          // snapshots show the position with exactly the case factor between them.
          const putaway = wrongUom ? `STAGE-${rc.messageId.slice(-5)}` : loc;
          move('wms', facility, sku, putaway, lot, received);
          if (wrongUom) {
            // The WMS counted cases but sent the number as EA: the ERP books 1/12 of what arrived.
            move('erp', facility, sku, putaway, lot, received / CASE);
            inject('uom_case_vs_each', rc.messageId);
          } else if (lotMismatch.has(sku) && active.has('lot_control_mismatch') && rt > masterFaultsFrom) {
            fail(rc, 'dead_letter', 'LOT_REQUIRED', `Lot is required for item ${sku} in ERP`);
            inject('lot_control_mismatch', rc.messageId);
          } else if (early) {
            failThenDeliver(rc, 'PREREQ_MISSING', `Receipt for ${po} arrived before purchase order was delivered`, 40 * 60_000);
            move('erp', facility, sku, loc, lot, received);
            inject('sent_before_prerequisite', rc.messageId);
          } else {
            move('erp', facility, sku, loc, lot, received);
            if (on('retry_duplicate')) {
              emit({ txType: 'receipt', direction: 'wms_to_erp', facility, correlationKey: po, lineKey: '10', sku, quantity: String(received), uom: 'EA', lot, location: 'DOCK-01', status: 'delivered', attempts: 2 }, rt + 3 * 60_000);
              move('erp', facility, sku, loc, lot, received); // posted twice
              inject('retry_duplicate', rc.messageId);
              budget--;
            } else if (on('timeout_then_delivered')) {
              failThenDeliver(rc, 'TIMEOUT', 'ERP endpoint timed out after 30000 ms', 10 * 60_000);
              inject('timeout_then_delivered', rc.messageId);
            }
          }
          const pt = rt + 30 * 60_000 + Math.floor(rand() * 3 * 3_600_000);
          if (pt < endMs) {
            const pa = emit({ txType: 'putaway', direction: 'wms_to_erp', facility, correlationKey: po, lineKey: '10', sku, quantity: String(received), uom: 'EA', lot, location: loc, status: 'delivered' }, pt);
            budget--;
            if (on('location_unknown')) {
              fail(pa, 'failed', 'LOC_UNKNOWN', `Location "${loc}" not found in ERP`);
              inject('location_unknown', pa.messageId);
            }
          }
        } else if (flow < 0.7) {
          // outbound: release down, pick up, shipment up
          const so = doc('SO');
          // From the document number, not the random stream: adding customers left the rest of the traffic as it was.
          const customer = CUSTOMERS[seq % CUSTOMERS.length];
          const qty = 1 + Math.floor(rand() * 24);
          emit({ txType: 'order_release', direction: 'erp_to_wms', facility, correlationKey: so, lineKey: '1', customer, sku, quantity: String(qty), uom: 'EA', lot: null, location: null, status: 'delivered' }, t);
          const kt = t + 20 * 60_000 + Math.floor(rand() * 4 * 3_600_000);
          if (kt >= endMs) { budget--; continue; }
          emit({ txType: 'pick', direction: 'wms_to_erp', facility, correlationKey: so, lineKey: '1', customer, sku, quantity: String(qty), uom: 'EA', lot, location: loc, status: 'delivered' }, kt);
          budget -= 2;
          if (on('cancel_after_release')) {
            const c = emit({ txType: 'order_cancel', direction: 'erp_to_wms', facility, correlationKey: so, lineKey: '1', customer, sku, quantity: String(qty), uom: 'EA', lot: null, location: null, status: 'delivered' }, kt + 10 * 60_000);
            fail(c, 'failed', 'ORDER_ALREADY_PICKED', `Order ${so} cannot be cancelled: already picked`);
            inject('cancel_after_release', c.messageId);
            budget--;
            continue;
          }
          const st = kt + 30 * 60_000 + Math.floor(rand() * 2 * 3_600_000);
          if (st >= endMs) continue;
          const sh = emit({ txType: 'shipment', direction: 'wms_to_erp', facility, correlationKey: so, lineKey: '1', customer, sku, quantity: String(qty), uom: 'EA', lot, location: loc, status: 'delivered' }, st);
          budget--;
          move('wms', facility, sku, loc, lot, -qty);
          if (st > mappingDriftStart && on('status_mapping_drift')) {
            fail(sh, 'failed', 'STATUS_MAP', 'Invalid status mapping: shipment status "POSTED" not allowed for order');
            inject('status_mapping_drift', sh.messageId);
          } else {
            move('erp', facility, sku, loc, lot, -qty);
            if (on('dead_letter')) {
              fail(sh, 'dead_letter', 'DLQ_MAX_RETRIES', 'Message moved to dead-letter queue after 5 attempts');
              move('erp', facility, sku, loc, lot, qty); // never posted after all
              inject('dead_letter', sh.messageId);
            }
          }
        } else if (flow < 0.82) {
          // stock adjustments and counts
          const adj = doc('ADJ');
          const qty = (rand() < 0.5 ? -1 : 1) * (1 + Math.floor(rand() * 6));
          const batch = facility === batchFacility && active.has('batch_delay');
          const d = batch ? 3_600_000 - (t % 3_600_000) + 60_000 : delay();
          const a = emit({ txType: 'adjustment', direction: 'wms_to_erp', facility, correlationKey: adj, lineKey: '1', sku, quantity: String(qty), uom: 'EA', lot, location: loc, status: 'delivered', payload: { reason: pick(['DAMAGE', 'FOUND', 'LOST', 'QC']) } }, t, d);
          if (batch) inject('batch_delay', a.messageId);
          move('wms', facility, sku, loc, lot, qty);
          move('erp', facility, sku, loc, lot, qty);
          budget--;
          if (on('cycle_count_reversal')) {
            const cc = doc('CC');
            emit({ txType: 'cycle_count', direction: 'wms_to_erp', facility, correlationKey: cc, lineKey: '1', sku, quantity: '5', uom: 'EA', lot, location: loc, status: 'delivered' }, t + 60_000);
            emit({ txType: 'cycle_count', direction: 'wms_to_erp', facility, correlationKey: cc, lineKey: '2', sku, quantity: '-5', uom: 'EA', lot, location: loc, status: 'delivered', payload: { reversal: true } }, t + 3_600_000);
            inject('cycle_count_reversal', cc);
            budget -= 2;
          }
        } else if (flow < 0.88 && facilities.length > 1 && active.has('inter_facility_transfer')) {
          const to = pick(facilities.filter((x) => x !== facility));
          const tr = doc('TR');
          const qty = CASE;
          emit({ txType: 'transfer', direction: 'wms_to_erp', facility, correlationKey: tr, lineKey: 'OUT', sku, quantity: String(-qty), uom: 'EA', lot, location: loc, status: 'delivered' }, t);
          const x = emit({ txType: 'transfer', direction: 'wms_to_erp', facility: to, correlationKey: tr, lineKey: 'IN', sku, quantity: String(qty), uom: 'EA', lot, location: locOf(sku), status: 'delivered' }, t + 6 * 3_600_000, 45 * 60_000);
          inject('inter_facility_transfer', x.messageId);
          move('wms', facility, sku, loc, lot, -qty); move('erp', facility, sku, loc, lot, -qty);
          move('wms', to, sku, locOf(sku), lot, qty); move('erp', to, sku, locOf(sku), lot, qty);
          budget -= 2;
        } else if (flow < 0.92) {
          const kind = pick(['return_to_stock', 'damaged_hold', 'lot_split', 'serial_correction'] as const);
          // Only lot-controlled items split.
          if (!active.has(kind) || (kind === 'lot_split' && !lot)) { budget--; continue; }
          const ref = doc(kind === 'return_to_stock' ? 'RMA' : kind === 'damaged_hold' ? 'HOLD' : kind === 'lot_split' ? 'SPLIT' : 'SER');
          let m: SimMessage;
          if (kind === 'return_to_stock') {
            m = emit({ txType: 'return', direction: 'wms_to_erp', facility, correlationKey: ref, lineKey: '1', sku, quantity: '2', uom: 'EA', lot, location: loc, status: 'delivered' }, t);
            move('wms', facility, sku, loc, lot, 2); move('erp', facility, sku, loc, lot, 2);
          } else if (kind === 'damaged_hold') {
            m = emit({ txType: 'lot_status', direction: 'wms_to_erp', facility, correlationKey: ref, lineKey: '1', sku, quantity: '3', uom: 'EA', lot, location: loc, status: 'delivered', payload: { to: 'HOLD', reason: 'DAMAGED' } }, t);
          } else if (kind === 'lot_split' && lot) {
            // Four units move to a new lot of their own. Most splits post in both systems (normal
            // flow); the fault: the ERP does not know the new lot and refuses its half, so the
            // units leave the old lot in both systems but reach the new one only in the WMS.
            const split = `${lot}-S${seq}`;
            emit({ txType: 'adjustment', direction: 'wms_to_erp', facility, correlationKey: ref, lineKey: '1', sku, quantity: '-4', uom: 'EA', lot, location: loc, status: 'delivered' }, t);
            const into = emit({ txType: 'adjustment', direction: 'wms_to_erp', facility, correlationKey: ref, lineKey: '2', sku, quantity: '4', uom: 'EA', lot: split, location: loc, status: 'delivered' }, t + 1000);
            move('wms', facility, sku, loc, lot, -4); move('wms', facility, sku, loc, split, 4);
            move('erp', facility, sku, loc, lot, -4);
            if (on('lot_split')) {
              fail(into, 'failed', 'LOT_NOT_FOUND', `Lot ${split} does not exist for item ${sku} in ERP`);
              inject('lot_split', into.messageId);
            } else move('erp', facility, sku, loc, split, 4);
            budget -= 2;
            continue;
          } else {
            m = emit({ txType: 'serial_update', direction: 'wms_to_erp', facility, correlationKey: ref, lineKey: '1', sku, quantity: '1', uom: 'EA', lot: null, location: loc, status: 'delivered', payload: { from: `SN${seq}`, to: `SN${seq + 1}` } }, t);
          }
          inject(kind, m.messageId);
          budget--;
        } else {
          // manual corrections, sometimes keyed in both systems
          const qty = (rand() < 0.5 ? -1 : 1) * CASE;
          const who = pick(['kim', 'ravi', 'ana', 'joe', 'li']);
          const c: SimCorrection = { correctionId: `CORR-${String(++seq).padStart(7, '0')}`, system: rand() < 0.5 ? 'erp' : 'wms', facility, sku, location: loc, lot, quantityDelta: String(qty), uom: 'EA', reasonCode: pick(['COUNT_DIFF', 'DAMAGE', 'MISPICK', 'SYNC_FIX']), user: who, at: iso(t), effortMinutes: 5 + Math.floor(rand() * 25) };
          corrections.push(c);
          move(c.system, facility, sku, loc, lot, qty);
          if (on('duplicate_manual_correction')) {
            const other: SimCorrection = { ...c, correctionId: `CORR-${String(++seq).padStart(7, '0')}`, system: c.system === 'erp' ? 'wms' : 'erp', quantityDelta: String(qty / CASE), uom: 'CASE', user: pick(['kim', 'ravi']), at: iso(Math.min(endMs - 1, t + 2 * 3_600_000)), reasonCode: 'SYNC_FIX' };
            corrections.push(other);
            move(other.system, facility, sku, loc, lot, qty);
            inject('duplicate_manual_correction', c.correctionId);
          }
          budget--;
        }
      }
      // nightly ERP item batch overwriting a WMS-owned field
      if (active.has('ownership_overwrite') && chance(Math.min(1, 0.3 * scale))) {
        const t = dayStart + 2 * 3_600_000;
        if (t < endMs) {
          const sku = pick(skus);
          const m = emit({ txType: 'item_master', direction: 'erp_to_wms', facility, correlationKey: `ITEM-${sku}`, lineKey: null, sku, quantity: null, uom: null, lot: null, location: null, status: 'delivered', payload: { field: 'inventory.location', value: 'B-99-99' } }, t);
          fail(m, 'failed', 'OWN_FIELD_CONFLICT', `Field inventory.location of ${sku} is owned by WMS; update rejected`);
          inject('ownership_overwrite', m.messageId);
        }
      }
    }
  }

  // ---- snapshots at the end: each system's own view of its stock
  const snapshots: SimSnapshot[] = [];
  for (const f of facilities) {
    for (const system of ['erp', 'wms'] as const) {
      const rows: SimSnapshot['rows'] = [];
      for (const [k, q] of stock[system]) {
        const [fac, sku, location, lot] = k.split('|');
        if (fac !== f || q === 0) continue;
        if (system === 'wms' && missingInWms.has(sku)) continue;
        // Part of the ERP snapshot is reported in cases where it divides evenly (no difference).
        const inCases = system === 'erp' && q % CASE === 0 && sku.endsWith('2');
        rows.push({ sku, location, lot: lot || null, uom: inCases ? 'CASE' : 'EA', quantity: String(inCases ? q / CASE : q) });
      }
      snapshots.push({ system, facility: f, takenAt: iso(endMs - 60_000), rows });
    }
  }

  messages.sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : 0));
  return { items, messages, corrections, changes, snapshots, truth: [...truth.values()], facilities, start: iso(startMs), end: iso(endMs) };
}

export type SimResult = ReturnType<typeof simulate>;
