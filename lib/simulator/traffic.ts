/**
 * The normal traffic of an ERP–WMS pair: item masters, opening stock, documents flowing through
 * their lifecycles (PO → receipt → putaway, release → pick → shipment, adjustments, occasional
 * documents, manual corrections) and each system's snapshot at the end. The scenarios bend it
 * through their hooks (lib/simulator/scenario.ts), called at the points marked `hook`.
 */
import type { SimItem, SimSnapshot } from '@/lib/simulator/model';
import { CASE, CUSTOMERS, DAY_MS, HOUR_MS, MINUTE_MS, SKU_COUNT } from '@/lib/simulator/model';
import { locationOf, lotOf, skuCode } from '@/lib/simulator/model';
import {
  receiptOf,
  type Doc,
  type Hooks,
  type Inbound,
  type Outbound,
  type ScenarioSim,
} from '@/lib/simulator/scenario';
import type { Sim } from '@/lib/simulator/sim';
import { MISSING_IN_WMS } from '@/lib/simulator/scenarios/item-missing-in-wms';
import type { ScenarioName } from '@/lib/simulator/scenario';

/** The switched-on scenarios' hooks, each bound to its scenario's view of the simulation. */
export type Plugged = { name: ScenarioName; s: ScenarioSim; hooks: Hooks }[];

export function runTraffic(sim: Sim, plugged: Plugged, occasional: readonly ScenarioName[]) {
  const { rand, pick, emit, move, iso, facilities, startMs, endMs } = sim;
  const cache = new Map<keyof Hooks, unknown>();
  /** The switched-on hooks of one kind, in registry order, ready to call. */
  const hooks = <K extends keyof Hooks>(k: K) => {
    if (!cache.has(k))
      cache.set(
        k,
        plugged.flatMap((p) => (p.hooks[k] ? [{ s: p.s, h: p.hooks[k] }] : [])),
      );
    return cache.get(k) as { s: ScenarioSim; h: NonNullable<Hooks[K]> }[];
  };
  const byName = new Map(plugged.map((p) => [p.name, p]));

  // ---- item masters: equal in both systems but for the scenarios that say otherwise
  const items: SimItem[] = [];
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
    const wms: SimItem = { system: 'wms', ...base, unitCost: null };
    if (hooks('wmsItem').some(({ s, h }) => h(s, wms) === false)) continue; // hook
    items.push(wms);
  }

  // ---- opening stock, equal on both sides
  for (const f of facilities) {
    for (let i = 0; i < SKU_COUNT; i++) {
      const sku = skuCode(i);
      const q = 100 + Math.floor(rand() * 400);
      move('erp', f, sku, locationOf(sku), lotOf(sku), q);
      move('wms', f, sku, locationOf(sku), lotOf(sku), q);
    }
  }

  for (const { s, h } of hooks('changes')) h(s); // hook
  sim.changes.push({
    changeId: 'CHG-REL-WMS-24.3',
    at: iso(startMs + 3 * DAY_MS + 20 * HOUR_MS),
    system: 'wms',
    kind: 'release',
    summary: 'WMS release 24.3 (wave picking)',
    integrationReviewed: true,
  });
  sim.changes.push({
    changeId: 'CHG-CFG-RETRY',
    at: iso(startMs + Math.floor(sim.days * 0.3) * DAY_MS + 14 * HOUR_MS),
    system: 'middleware',
    kind: 'config',
    summary: 'Retry policy: 5 attempts, exponential back-off',
    integrationReviewed: true,
  });

  const skus = Array.from({ length: SKU_COUNT }, (_, i) => skuCode(i));
  for (let day = 0; day < sim.days; day++) {
    const dayStart = startMs + day * DAY_MS;
    for (const facility of facilities) {
      let budget = sim.messagesPerDay;
      while (budget > 0) {
        // business hours weighted: most traffic 06:00–22:00
        const hour = rand() < 0.85 ? 6 + Math.floor(rand() * 16) : Math.floor(rand() * 24);
        const t = dayStart + hour * HOUR_MS + Math.floor(rand() * HOUR_MS);
        if (t >= endMs) {
          budget--;
          continue;
        }
        const sku = pick(skus);
        const d: Doc = {
          facility,
          sku,
          location: locationOf(sku),
          lot: lotOf(sku),
          at: t,
          doc: (p) => `${p}-${facility}-${String(sim.nextSeq()).padStart(7, '0')}`,
        };
        const flow = rand();
        // A document costs the budget the messages it sent, at least one.
        const before = sim.emitted();
        if (flow < 0.35) inbound(d);
        else if (flow < 0.7) outbound(d);
        else if (flow < 0.82) adjustment(d);
        else if (flow < 0.88 && facilities.length > 1 && hooks('transfer').length) {
          for (const { s, h } of hooks('transfer').slice(0, 1)) h(s, d); // hook
        } else if (flow < 0.92) {
          const p = byName.get(pick(occasional));
          if (p) p.hooks.occasional!(p.s, d); // hook
        } else correction(d);
        budget -= Math.max(1, sim.emitted() - before);
      }
      for (const { s, h } of hooks('nightly')) h(s, facility, dayStart); // hook
    }
  }

  /** Inbound: PO down, receipt up, putaway up. */
  function inbound(d: Doc) {
    const { facility, sku, location, lot, at: t } = d;
    const po = d.doc('PO');
    const ordered = CASE * (1 + Math.floor(rand() * 10));
    const poMsg = emit(
      {
        txType: 'purchase_order',
        direction: 'erp_to_wms',
        facility,
        correlationKey: po,
        lineKey: '10',
        sku,
        quantity: String(ordered),
        uom: 'EA',
        lot: null,
        location: null,
        status: 'delivered',
      },
      t,
    );
    const r: Inbound = { ...d, po, ordered, received: ordered, receivedAt: t, stated: ordered };
    if (hooks('purchaseOrder').some(({ s, h }) => h(s, r, poMsg))) return; // hook
    r.received = first(hooks('receivedQuantity'), ({ s, h }) => h(s, r)) ?? ordered; // hook
    const sentAt = first(hooks('receiptTime'), ({ s, h }) => h(s, r)); // hook
    r.receivedAt = sentAt ?? t + 2 * HOUR_MS + Math.floor(rand() * 20 * HOUR_MS);
    if (r.receivedAt >= endMs) return;
    r.stated = first(hooks('receiptQuantity'), ({ s, h }) => h(s, r)) ?? r.received; // hook
    const rc = emit(receiptOf(r, r.stated), r.receivedAt);
    if (!hooks('bookReceipt').some(({ s, h }) => h(s, r, rc))) {
      // hook
      move('wms', facility, sku, location, lot, r.received);
      move('erp', facility, sku, location, lot, r.received);
      hooks('receiptBooked').some(({ s, h }) => h(s, r, rc)); // hook
    }
    const pt = r.receivedAt + 30 * MINUTE_MS + Math.floor(rand() * 3 * HOUR_MS);
    if (pt >= endMs) return;
    const pa = emit(
      {
        txType: 'putaway',
        direction: 'wms_to_erp',
        facility,
        correlationKey: po,
        lineKey: '10',
        sku,
        quantity: String(r.received),
        uom: 'EA',
        lot,
        location,
        status: 'delivered',
      },
      pt,
    );
    for (const { s, h } of hooks('putaway')) h(s, r, pa); // hook
  }

  /** Outbound: release down, pick up, shipment up. */
  function outbound(d: Doc) {
    const { facility, sku, location, lot, at: t } = d;
    const so = d.doc('SO');
    // From the document number, not the random stream: adding customers left the rest of the
    // traffic as it was.
    const customer = CUSTOMERS[sim.seq() % CUSTOMERS.length];
    const qty = 1 + Math.floor(rand() * 24);
    const quantity = String(qty);
    const line = { facility, correlationKey: so, lineKey: '1', customer, sku, quantity, uom: 'EA' } as const;
    const release = { txType: 'order_release', direction: 'erp_to_wms', ...line, lot: null, location: null } as const;
    emit({ ...release, status: 'delivered' }, t);
    const kt = t + 20 * MINUTE_MS + Math.floor(rand() * 4 * HOUR_MS);
    if (kt >= endMs) return;
    emit({ txType: 'pick', direction: 'wms_to_erp', ...line, lot, location, status: 'delivered' }, kt);
    const o: Outbound = { ...d, so, customer, qty, pickedAt: kt, shippedAt: kt };
    if (hooks('picked').some(({ s, h }) => h(s, o))) return; // hook
    o.shippedAt = kt + 30 * MINUTE_MS + Math.floor(rand() * 2 * HOUR_MS);
    if (o.shippedAt >= endMs) return;
    const shipment = { txType: 'shipment', direction: 'wms_to_erp', ...line, lot, location } as const;
    const sh = emit({ ...shipment, status: 'delivered' }, o.shippedAt);
    move('wms', facility, sku, location, lot, -qty);
    if (hooks('bookShipment').some(({ s, h }) => h(s, o, sh))) return; // hook
    move('erp', facility, sku, location, lot, -qty);
    for (const { s, h } of hooks('shipped')) h(s, o, sh); // hook
  }

  /** Stock adjustments and counts. */
  function adjustment(d: Doc) {
    const { facility, sku, location, lot, at: t } = d;
    const adj = d.doc('ADJ');
    const qty = (rand() < 0.5 ? -1 : 1) * (1 + Math.floor(rand() * 6));
    const delay = first(hooks('adjustmentDelay'), ({ s, h }) => h(s, d)) ?? sim.delay(); // hook (draws first)
    const reason = pick(['DAMAGE', 'FOUND', 'LOST', 'QC']);
    const a = emit(
      {
        txType: 'adjustment',
        direction: 'wms_to_erp',
        facility,
        correlationKey: adj,
        lineKey: '1',
        sku,
        quantity: String(qty),
        uom: 'EA',
        lot,
        location,
        status: 'delivered',
        payload: { reason },
      },
      t,
      delay,
    );
    move('wms', facility, sku, location, lot, qty);
    move('erp', facility, sku, location, lot, qty);
    for (const { s, h } of hooks('adjusted')) h(s, d, a); // hook
  }

  /** Manual corrections, sometimes keyed in both systems. */
  function correction(d: Doc) {
    const { facility, sku, location, lot, at: t } = d;
    const qty = (rand() < 0.5 ? -1 : 1) * CASE;
    const who = pick(['kim', 'ravi', 'ana', 'joe', 'li']);
    // Property by property in this order: each draw comes where it always came.
    const correctionId = `CORR-${String(sim.nextSeq()).padStart(7, '0')}`;
    const system = rand() < 0.5 ? ('erp' as const) : ('wms' as const);
    const reasonCode = pick(['COUNT_DIFF', 'DAMAGE', 'MISPICK', 'SYNC_FIX']);
    const effortMinutes = 5 + Math.floor(rand() * 25);
    const c = {
      correctionId,
      system,
      facility,
      sku,
      location,
      lot,
      quantityDelta: String(qty),
      uom: 'EA',
      reasonCode,
      user: who,
      at: iso(t),
      effortMinutes,
    };
    sim.corrections.push(c);
    move(c.system, facility, sku, location, lot, qty);
    for (const { s, h } of hooks('corrected')) h(s, d, c); // hook
  }

  // ---- snapshots at the end: each system's own view of its stock
  const snapshots: SimSnapshot[] = [];
  for (const f of facilities) {
    for (const system of ['erp', 'wms'] as const) {
      const rows: SimSnapshot['rows'] = [];
      for (const [k, q] of sim.stock[system]) {
        const [fac, sku, location, lot] = k.split('|');
        if (fac !== f || q === 0) continue;
        // Even with item_missing_in_wms switched off: the data of every seed stays as it was.
        if (system === 'wms' && sku === MISSING_IN_WMS) continue;
        // Part of the ERP snapshot is reported in cases where it divides evenly (no difference).
        const inCases = system === 'erp' && q % CASE === 0 && sku.endsWith('2');
        const quantity = String(inCases ? q / CASE : q);
        rows.push({ sku, location, lot: lot || null, uom: inCases ? 'CASE' : 'EA', quantity });
      }
      snapshots.push({ system, facility: f, takenAt: iso(endMs - MINUTE_MS), rows });
    }
  }
  return { items, snapshots };
}

/** The first answer that is not undefined; later hooks are not asked (they would draw). */
function first<E, T>(entries: E[], ask: (e: E) => T | undefined): T | undefined {
  for (const e of entries) {
    const v = ask(e);
    if (v !== undefined) return v;
  }
  return undefined;
}
