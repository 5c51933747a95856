/**
 * What a fault scenario is (SPEC 8): what happens in the real world, the hooks with which it
 * bends the simulated traffic, and what in the product must detect it — `expect`, which the
 * regression suite (scenarios.test.ts) runs for every scenario of the registry. The registry is
 * typed so that a scenario without its expected detection does not compile.
 *
 * Each hook is called at a fixed point of the traffic (lib/simulator/traffic.ts), only for the
 * scenarios that are switched on, in the order of the registry. The order of the random draws is
 * the order of these calls: moving a hook or a scenario changes the data every seed produces.
 */
import type { ExpectStatic } from 'vitest';
import type { DetectionQueries } from '@/lib/simulator/detection';
import type { SimCorrection, SimItem, SimMessage } from '@/lib/simulator/model';
import type { Sim } from '@/lib/simulator/sim';
import type { SimResult } from '@/lib/simulator/simulate';

/**
 * The scenarios by name, in the order their hooks run (part of the data: a new one goes at the end).
 * Each has its module in lib/simulator/scenarios/, registered in scenarios/index.ts.
 */
export const SCENARIO_NAMES = [
  'retry_duplicate',
  'timeout_then_delivered',
  'dead_letter',
  'uom_case_vs_each',
  'item_missing_in_wms',
  'lot_control_mismatch',
  'item_master_drift',
  'location_unknown',
  'sent_before_prerequisite',
  'batch_delay',
  'status_mapping_drift',
  'ownership_overwrite',
  'duplicate_manual_correction',
  'partial_receipt',
  'over_receipt',
  'cancel_after_release',
  'cycle_count_reversal',
  'inter_facility_transfer',
  'return_to_stock',
  'damaged_hold',
  'lot_split',
  'serial_correction',
] as const;

export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** The simulation as one scenario's hooks see it: its own chance to fire and its own ground truth. */
export type ScenarioSim = Omit<Sim, 'record'> & {
  /** Draws whether the scenario fires this time (its rate × faultRate). */
  fires(): boolean;
  /** Records an id the scenario wrote (an injection). */
  inject(id: string): void;
};

/** One document of the day's traffic: what it moves, where, when. */
export interface Doc {
  facility: string;
  sku: string;
  location: string;
  lot: string | null;
  /** When the document starts (ms). */
  at: number;
  /** A new document number of this facility with the prefix given (PO, SO, ADJ, …). */
  doc(prefix: string): string;
}

/** A purchase order, its receipt and its putaway. */
export interface Inbound extends Doc {
  po: string;
  ordered: number;
  received: number;
  receivedAt: number;
  /** The quantity the receipt message states (the received one unless a scenario garbles it). */
  stated: number;
}

/** The receipt message of an inbound document, stating `quantity`. */
export const receiptOf = (r: Inbound, quantity: number) =>
  ({
    txType: 'receipt',
    direction: 'wms_to_erp',
    facility: r.facility,
    correlationKey: r.po,
    lineKey: '10',
    sku: r.sku,
    quantity: String(quantity),
    uom: 'EA',
    lot: r.lot,
    location: 'DOCK-01',
    status: 'delivered',
  }) as const;

/** An order release, its pick and its shipment. */
export interface Outbound extends Doc {
  so: string;
  customer: string;
  qty: number;
  pickedAt: number;
  shippedAt: number;
}

export interface Hooks {
  /** Changes the WMS copy of an item in place; `false` leaves the item out of the WMS. */
  wmsItem?(s: ScenarioSim, item: SimItem): boolean | void;
  /** Change-log entries written before the traffic's own. */
  changes?(s: ScenarioSim): void;
  /** A purchase order was sent; `true` ends its document here. */
  purchaseOrder?(s: ScenarioSim, r: Inbound, po: SimMessage): boolean;
  /** What the dock receives, when not what was ordered. The first answer counts. */
  receivedQuantity?(s: ScenarioSim, r: Inbound): number | undefined;
  /** When the receipt is sent, when not hours after the order. The first answer counts. */
  receiptTime?(s: ScenarioSim, r: Inbound): number | undefined;
  /** The quantity the receipt states, when not the received one. The first answer counts. */
  receiptQuantity?(s: ScenarioSim, r: Inbound): number | undefined;
  /** Books the receipt in both systems' stock the scenario's way; `true` when it did (no one else does). */
  bookReceipt?(s: ScenarioSim, r: Inbound, receipt: SimMessage): boolean;
  /** After a receipt was booked as usual; `true` when the scenario acted on it (no one else does). */
  receiptBooked?(s: ScenarioSim, r: Inbound, receipt: SimMessage): boolean;
  /** A putaway was sent. */
  putaway?(s: ScenarioSim, r: Inbound, putaway: SimMessage): void;
  /** An order was picked; `true` ends its document here. */
  picked?(s: ScenarioSim, o: Outbound): boolean;
  /** Books a shipment in the ERP the scenario's way (or not at all); `true` when it did. */
  bookShipment?(s: ScenarioSim, o: Outbound, shipment: SimMessage): boolean;
  /** After a shipment was booked in both systems. */
  shipped?(s: ScenarioSim, o: Outbound, shipment: SimMessage): void;
  /** How long an adjustment takes to arrive, when not the usual. The first answer counts. */
  adjustmentDelay?(s: ScenarioSim, a: Doc): number | undefined;
  /** After an adjustment was sent and booked. */
  adjusted?(s: ScenarioSim, a: Doc, adjustment: SimMessage): void;
  /** Sends a document moving stock to another facility (only drawn with two facilities or more). */
  transfer?(s: ScenarioSim, d: Doc): void;
  /** Sends one of the occasional documents (returns, holds, splits …) when the draw picks this scenario. */
  occasional?(s: ScenarioSim, d: Doc): void;
  /** After a manual correction was keyed. */
  corrected?(s: ScenarioSim, d: Doc, c: SimCorrection): void;
  /** Each night, per facility, after the day's traffic. */
  nightly?(s: ScenarioSim, facility: string, dayStart: number): void;
}

/** What a scenario's expectation gets: the scenario simulated alone and loaded into a database. */
export interface Detection {
  /** Read the product's findings in that database. */
  q: DetectionQueries;
  sim: SimResult;
  injected: number;
  /** The ids the scenario wrote (the first 50). */
  ids: string[];
  /** The test runner's assertions (vitest's `expect`), handed in so no runtime code imports vitest. */
  expect: ExpectStatic;
}

export interface Scenario {
  world: string;
  injects: string;
  /** The signal that detects it, in words (the test's name). */
  detector: string;
  /** Chance per eligible event (× faultRate); 1 where the scenario applies to what it names. */
  rate: number;
  hooks: Hooks;
  /** Asserts that the product detected what the scenario injected (the regression suite runs it). */
  expect(d: Detection): Promise<void>;
  /** The faultRate the regression suite simulates the scenario at (default 10). */
  testFaultRate?: number;
}

/** The expectation of normal flow, which must raise nothing: the scenario happened, and no exception is open. */
export async function raisesNothing({ expect, q, injected }: Detection): Promise<void> {
  expect(injected).toBeGreaterThan(0);
  expect((await q.kpis()).openExceptions).toBe(0);
}

/**
 * The expectation of an item master fault: one injection is the item itself (the master data audit's
 * finding `kind`), the rest are messages the other system refused with `code`.
 */
export const masterDataFault =
  (code: string, kind: string) =>
  async (d: Detection): Promise<void> => {
    d.expect(await d.q.exceptionsWith(code)).toMatchObject({ n: d.injected - 1, cause: 'master_data' });
    d.expect(await d.q.findingsFor(kind)).toEqual([d.ids[0]]);
  };

/**
 * A master data fault of the one item `sku` (rate 1): `edit` changes its WMS item master in place
 * (`false` leaves the item out of the WMS), the item being the first injection; `refusals` are the
 * hooks that have the other system refuse documents about it, each a further injection; and the
 * expectation is masterDataFault(code, finding).
 */
export function itemMasterFault(
  sku: string,
  fault: Pick<Scenario, 'world' | 'injects' | 'detector'> & {
    code: string;
    finding: string;
    edit(item: SimItem): false | void;
    refusals: Omit<Hooks, 'wmsItem'>;
  },
): Scenario {
  const { code, finding, edit, refusals, ...words } = fault;
  return {
    ...words,
    rate: 1,
    hooks: {
      wmsItem(s, item) {
        if (item.sku !== sku) return;
        s.inject(item.sku);
        return edit(item);
      },
      ...refusals,
    },
    expect: masterDataFault(code, finding),
  };
}

/** The expectation of a receipt quantity fault: exactly the injected purchase orders have the finding `kind`. */
export const receiptFindings =
  (kind: 'over_received' | 'open_quantity') =>
  async (d: Detection): Promise<void> => {
    d.expect(d.injected).toBeGreaterThan(0);
    d.expect(d.ids).toHaveLength(d.injected);
    d.expect(await d.q.quantityFindings(kind)).toEqual(await d.q.withReceipts(d.ids));
  };

/**
 * One delivered WMS message about the occasional document `d` (a document of its own, one line, in
 * each), recorded as the scenario's injection. Returns what was sent.
 */
export function wmsNotice(
  s: ScenarioSim,
  d: Doc,
  m: { txType: string; prefix: string; quantity: string; lot?: string | null; payload?: Record<string, unknown> },
): SimMessage {
  const { facility, sku, location } = d;
  const sent = s.emit(
    {
      txType: m.txType,
      direction: 'wms_to_erp',
      facility,
      correlationKey: d.doc(m.prefix),
      lineKey: '1',
      sku,
      quantity: m.quantity,
      uom: 'EA',
      lot: m.lot === undefined ? d.lot : m.lot,
      location,
      status: 'delivered',
      ...(m.payload === undefined ? {} : { payload: m.payload }),
    },
    d.at,
  );
  s.inject(sent.messageId);
  return sent;
}
