/**
 * The named fault scenarios of the simulator (SPEC 8), one module each: what happens in the real
 * world, how the simulator injects it, and what in the product must detect it.
 */
import { SCENARIO_NAMES, type Scenario, type ScenarioName } from '@/lib/simulator/scenario';
import { batchDelay } from '@/lib/simulator/scenarios/batch-delay';
import { cancelAfterRelease } from '@/lib/simulator/scenarios/cancel-after-release';
import { cycleCountReversal } from '@/lib/simulator/scenarios/cycle-count-reversal';
import { damagedHold } from '@/lib/simulator/scenarios/damaged-hold';
import { deadLetter } from '@/lib/simulator/scenarios/dead-letter';
import { duplicateManualCorrection } from '@/lib/simulator/scenarios/duplicate-manual-correction';
import { interFacilityTransfer } from '@/lib/simulator/scenarios/inter-facility-transfer';
import { itemMasterDrift } from '@/lib/simulator/scenarios/item-master-drift';
import { itemMissingInWms } from '@/lib/simulator/scenarios/item-missing-in-wms';
import { locationUnknown } from '@/lib/simulator/scenarios/location-unknown';
import { lotControlMismatch } from '@/lib/simulator/scenarios/lot-control-mismatch';
import { lotSplit } from '@/lib/simulator/scenarios/lot-split';
import { overReceipt } from '@/lib/simulator/scenarios/over-receipt';
import { ownershipOverwrite } from '@/lib/simulator/scenarios/ownership-overwrite';
import { partialReceipt } from '@/lib/simulator/scenarios/partial-receipt';
import { retryDuplicate } from '@/lib/simulator/scenarios/retry-duplicate';
import { returnToStock } from '@/lib/simulator/scenarios/return-to-stock';
import { sentBeforePrerequisite } from '@/lib/simulator/scenarios/sent-before-prerequisite';
import { serialCorrection } from '@/lib/simulator/scenarios/serial-correction';
import { statusMappingDrift } from '@/lib/simulator/scenarios/status-mapping-drift';
import { timeoutThenDelivered } from '@/lib/simulator/scenarios/timeout-then-delivered';
import { uomCaseVsEach } from '@/lib/simulator/scenarios/uom-case-vs-each';

// `satisfies`: one entry per name, each a whole Scenario — its expected detection (`expect`) included.
const registry = {
  retry_duplicate: retryDuplicate,
  timeout_then_delivered: timeoutThenDelivered,
  dead_letter: deadLetter,
  uom_case_vs_each: uomCaseVsEach,
  item_missing_in_wms: itemMissingInWms,
  lot_control_mismatch: lotControlMismatch,
  item_master_drift: itemMasterDrift,
  location_unknown: locationUnknown,
  sent_before_prerequisite: sentBeforePrerequisite,
  batch_delay: batchDelay,
  status_mapping_drift: statusMappingDrift,
  ownership_overwrite: ownershipOverwrite,
  duplicate_manual_correction: duplicateManualCorrection,
  partial_receipt: partialReceipt,
  over_receipt: overReceipt,
  cancel_after_release: cancelAfterRelease,
  cycle_count_reversal: cycleCountReversal,
  inter_facility_transfer: interFacilityTransfer,
  return_to_stock: returnToStock,
  damaged_hold: damagedHold,
  lot_split: lotSplit,
  serial_correction: serialCorrection,
} satisfies Record<ScenarioName, Scenario>;
export const SCENARIOS: Readonly<Record<ScenarioName, Scenario>> = registry;

export { SCENARIO_NAMES, type ScenarioName };
/** The scenarios that write occasional documents: the traffic draws among them, switched on or not. */
export const OCCASIONAL: ScenarioName[] = SCENARIO_NAMES.filter((n) => SCENARIOS[n].hooks.occasional);
