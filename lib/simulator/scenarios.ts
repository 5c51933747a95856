/**
 * The named fault scenarios of the simulator (SPEC 8): what happens in the real world, what the
 * simulator injects, and what in the product should detect it. `detector` names the signal the
 * regression suite asserts; `pending` lists the detectors not built yet (their assertions wait).
 */
export const SCENARIOS = {
  retry_duplicate: {
    world: 'Middleware retries after a lost acknowledgement; the ERP posts the receipt twice.',
    injects: 'A second delivered message with a new messageId and the same content, minutes after the first.',
    detector: 'duplicateCount',
    pending: [] as string[],
  },
  timeout_then_delivered: {
    world: 'The ERP endpoint times out; the retry goes through.',
    injects: 'A failed record (TIMEOUT) followed by a delivered one with attempts 2.',
    detector: 'firstPassFailureRate; exception opened then resolved by retry',
    pending: [],
  },
  dead_letter: {
    world: 'A message exhausts its retries and lands in the dead-letter queue.',
    injects: 'A dead_letter record with DLQ_MAX_RETRIES.',
    detector: 'failedMessageRate; open exception (exception_handling)',
    pending: [],
  },
  uom_case_vs_each: {
    world: 'The WMS reports a receipt in CASE where the ERP reads EA (or the reverse).',
    injects: 'Receipts posted to the ERP in the wrong unit; snapshots differ by the case factor.',
    detector: 'reconciliation `uom` difference',
    pending: [],
  },
  item_missing_in_wms: {
    world: 'An item was created in the ERP but its item master never reached the WMS.',
    injects: 'An ERP-only item; purchase orders for it fail ITEM_NOT_FOUND.',
    detector: 'open exceptions (master_data); master data audit `missing_in_wms`',
    pending: [],
  },
  lot_control_mismatch: {
    world: 'The ERP treats an item as lot-controlled, the WMS does not.',
    injects: 'Item masters disagree on lotControlled; receipts fail LOT_REQUIRED.',
    detector: 'open exceptions (master_data); master data audit',
    pending: [],
  },
  item_master_drift: {
    world: 'Item masters edited by hand on one side drift apart: a case size, a status, a code retyped.',
    injects: 'In the WMS item master: a CASE of 10 instead of 12 for one item, a blocked status for another, one code retyped in lower case.',
    detector: 'master data audit `conversion`, `status`, `near_identical_code`',
    pending: [],
  },
  location_unknown: {
    world: 'A putaway names a location the ERP does not know.',
    injects: 'Putaways failed with LOC_UNKNOWN.',
    detector: 'open exceptions (master_data)',
    pending: [],
  },
  sent_before_prerequisite: {
    world: 'The receipt leaves the WMS before the purchase order was delivered to it.',
    injects: 'A receipt created before its PO is delivered, failed PREREQ_MISSING, delivered on retry.',
    detector: 'exceptions (timing); lifecycle check (out of order)',
    pending: [],
  },
  batch_delay: {
    world: 'One interface runs as an hourly batch where near-real-time is expected.',
    injects: 'Adjustments of one facility processed on the next full hour.',
    detector: 'avgProcessingDelayMs / p95ProcessingDelayMs for adjustment',
    pending: [],
  },
  status_mapping_drift: {
    world: 'After a mapping change, shipments are mapped to a status the ERP rejects.',
    injects: 'A change-log entry (not integration-reviewed), then shipments failing STATUS_MAP.',
    detector: 'failedMessageRate for shipment after the change; exceptions (mapping); change annotation',
    pending: [],
  },
  ownership_overwrite: {
    world: 'A nightly ERP item batch overwrites a WMS-owned field.',
    injects: 'Nightly item_master messages changing inventory.location, failed OWN_FIELD_CONFLICT at the WMS.',
    detector: 'exceptions (ownership); ownership conflict check',
    pending: [],
  },
  duplicate_manual_correction: {
    world: 'The same stock fix is keyed by hand in both systems.',
    injects: 'An ERP and a WMS correction of equal base quantity within hours.',
    detector: 'duplicateManualCorrections',
    pending: [],
  },
  partial_receipt: {
    world: 'The dock receives less than ordered.',
    injects: 'A receipt for part of the PO line, the rest later.',
    detector: 'lifecycle: quantity open against the PO',
    pending: [],
  },
  over_receipt: {
    world: 'The dock receives more than ordered.',
    injects: 'A receipt above the PO quantity.',
    detector: 'lifecycle: over-receipt',
    pending: [],
  },
  cancel_after_release: {
    world: 'The ERP cancels an order the WMS already picked.',
    injects: 'order_cancel after pick, failed ORDER_ALREADY_PICKED.',
    detector: 'exceptions (timing)',
    pending: [],
  },
  cycle_count_reversal: {
    world: 'A cycle count adjustment is approved, then reversed.',
    injects: 'Two cycle_count messages of opposite quantity.',
    detector: 'reversed adjustments (daily review)',
    pending: [],
  },
  inter_facility_transfer: {
    world: 'Stock moves between facilities; the receiving side posts late.',
    injects: 'transfer out of one facility and in at another, the second with a long delay.',
    detector: 'delay KPIs for transfer',
    pending: [],
  },
  return_to_stock: {
    world: 'A customer return is put back to stock.',
    injects: 'return messages that add stock in both systems.',
    detector: 'none (normal flow, must not raise anything)',
    pending: [],
  },
  damaged_hold: {
    world: 'Damaged stock is put on hold in the WMS.',
    injects: 'lot_status messages to HOLD.',
    detector: 'none (normal flow)',
    pending: [],
  },
  lot_split: {
    world: 'A lot is split in the WMS; the ERP receives one adjustment per lot, and may not know the new lot.',
    injects: 'Paired adjustments moving 4 units to a new lot; the fault: the ERP refuses the new lot (LOT_NOT_FOUND), so only the WMS holds it.',
    detector: 'open exceptions (master_data); reconciliation `missing_in_erp` at the new lot',
    pending: [],
  },
  serial_correction: {
    world: 'A wrong serial number is corrected.',
    injects: 'serial_update messages.',
    detector: 'none (normal flow)',
    pending: [],
  },
} as const;

export type ScenarioName = keyof typeof SCENARIOS;
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];
