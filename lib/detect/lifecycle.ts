/**
 * Lifecycle checks (SPEC 5): each document (`correlationKey`) is expected to follow a flow — inbound:
 * purchase order down, receipt up, putaway up; outbound: order release down, pick up, shipment up —
 * and each step is checked against the one before it and against its delivery SLA:
 *   - `out_of_order`: created before any message of the step before it was created;
 *   - `before_prerequisite`: created before the step before it was delivered (the first delivery);
 *   - `missing_prerequisite`: the step before it is not in the log at all;
 *   - `over_sla`: not delivered within the SLA of its creation (delivered late, or still not delivered);
 * and on the latest receipt of a purchase order line, the quantities (when the order and its receipts
 * use one unit of measure):
 *   - `open_quantity`: the delivered receipts add up to less than was ordered;
 *   - `over_received`: they add up to more.
 * Pure: callers pass each step's facts and the summary of its prerequisite's messages.
 */
export const FLOWS = {
  inbound: ['purchase_order', 'receipt', 'putaway'],
  outbound: ['order_release', 'pick', 'shipment'],
} as const;

/** The step before each later step of a flow. */
export const PREREQUISITE: Readonly<Record<string, string>> = Object.fromEntries(
  Object.values(FLOWS).flatMap((steps) => steps.slice(1).map((s, i) => [s, steps[i]])),
);
/** Every transaction type that is a step of a flow. */
export const FLOW_STEPS: readonly string[] = Object.values(FLOWS).flat();

/** How long a step may take from creation to delivery, unless the admin set its own (step_slas). */
export const STEP_SLA_MS = 60 * 60_000;

/** One SLA for every step, or one per transaction type (a type without one has STEP_SLA_MS). */
export type Sla = number | Readonly<Record<string, number>>;
export const slaOf = (sla: Sla, txType: string): number =>
  typeof sla === 'number' ? sla : (sla[txType] ?? STEP_SLA_MS);

export const LIFECYCLE_KINDS = [
  'out_of_order',
  'before_prerequisite',
  'missing_prerequisite',
  'over_sla',
  'open_quantity',
  'over_received',
] as const;
export type LifecycleKind = (typeof LIFECYCLE_KINDS)[number];

export const LIFECYCLE_LABELS: Record<LifecycleKind, string> = {
  out_of_order: 'sent before the step before it',
  before_prerequisite: 'sent before its prerequisite was delivered',
  missing_prerequisite: 'prerequisite not in the log',
  over_sla: 'not delivered within the SLA',
  open_quantity: 'quantity still open against the order',
  over_received: 'more received than ordered',
};

export interface StepFacts {
  txType: string;
  createdMs: number;
  status: string;
  processedMs: number | null;
}

/** The messages of a step's prerequisite in its document: the first created, the first delivered. */
export interface PrerequisiteFacts {
  firstCreatedMs: number | null;
  firstDeliveredMs: number | null;
}

/**
 * For a receipt: what its purchase order line ordered and what its delivered receipts add up to
 * (null `ordered` when there is no order line, or it and its receipts use more than one unit), and
 * whether this is the line's latest receipt (by creation, then message id), which carries the finding.
 */
export interface QuantityFacts {
  ordered: number | null;
  received: number;
  latest: boolean;
}

export function lifecycleFindings(
  step: StepFacts,
  prerequisite: PrerequisiteFacts | null,
  nowMs: number,
  sla: Sla = STEP_SLA_MS,
  quantity: QuantityFacts | null = null,
): LifecycleKind[] {
  if (!FLOW_STEPS.includes(step.txType)) return [];
  const out: LifecycleKind[] = [];
  if (step.txType in PREREQUISITE) {
    if (!prerequisite || prerequisite.firstCreatedMs === null) out.push('missing_prerequisite');
    else if (step.createdMs < prerequisite.firstCreatedMs) out.push('out_of_order');
    else if (prerequisite.firstDeliveredMs === null || step.createdMs < prerequisite.firstDeliveredMs)
      out.push('before_prerequisite');
  }
  const delivered = step.status === 'delivered' && step.processedMs !== null;
  if ((delivered ? step.processedMs! : nowMs) - step.createdMs > slaOf(sla, step.txType)) out.push('over_sla');
  if (step.txType === 'receipt' && quantity?.latest && quantity.ordered !== null) {
    if (quantity.received < quantity.ordered) out.push('open_quantity');
    else if (quantity.received > quantity.ordered) out.push('over_received');
  }
  return out;
}

/** The prerequisite summary of `txType` among a document's messages. */
export function prerequisiteIn(doc: readonly StepFacts[], txType: string): PrerequisiteFacts | null {
  const before = PREREQUISITE[txType];
  if (!before) return null;
  let firstCreatedMs: number | null = null;
  let firstDeliveredMs: number | null = null;
  for (const m of doc) {
    if (m.txType !== before) continue;
    if (firstCreatedMs === null || m.createdMs < firstCreatedMs) firstCreatedMs = m.createdMs;
    if (
      m.status === 'delivered' &&
      m.processedMs !== null &&
      (firstDeliveredMs === null || m.processedMs < firstDeliveredMs)
    )
      firstDeliveredMs = m.processedMs;
  }
  return { firstCreatedMs, firstDeliveredMs };
}

/** A message of a document, as the quantity checks need it. */
export interface DocumentStep extends StepFacts {
  messageId: string;
  lineKey: string | null;
  quantity: string | null;
  uom: string | null;
}

/** The quantity facts of a receipt among its document's messages (null for any other step). */
export function receiptQuantityIn(doc: readonly DocumentStep[], step: DocumentStep): QuantityFacts | null {
  if (step.txType !== 'receipt') return null;
  const line = doc.filter(
    (m) => m.lineKey === step.lineKey && (m.txType === 'purchase_order' || m.txType === 'receipt'),
  );
  const orders = line.filter((m) => m.txType === 'purchase_order');
  const units = new Set(line.map((m) => m.uom));
  const latest = !line.some(
    (m) =>
      m.txType === 'receipt' &&
      (m.createdMs > step.createdMs || (m.createdMs === step.createdMs && m.messageId > step.messageId)),
  );
  const received = line
    .filter((m) => m.txType === 'receipt' && m.status === 'delivered')
    .reduce((a, m) => a + Number(m.quantity ?? 0), 0);
  const ordered = orders.length && units.size === 1 ? orders.reduce((a, m) => a + Number(m.quantity ?? 0), 0) : null;
  return { ordered, received, latest };
}

/** The findings of every message of one document. */
export function documentFindings<T extends DocumentStep>(
  doc: readonly T[],
  nowMs: number,
  sla: Sla = STEP_SLA_MS,
): { message: T; kinds: LifecycleKind[] }[] {
  return doc.map((message) => ({
    message,
    kinds: lifecycleFindings(message, prerequisiteIn(doc, message.txType), nowMs, sla, receiptQuantityIn(doc, message)),
  }));
}
