/**
 * Ownership conflicts (SPEC 5). The ownership matrix says which system owns each field of a data
 * object (`erp`, `wms`, or `shared` with a precedence rule). A message reports field changes in its
 * payload — `{ "field": "inventory.location", "value": "B-99-99" }`, or several as
 * `{ "changes": [{ "field": …, "value": … }] }` — made by the system that sent it. Two findings:
 *   - `not_owner`: a system changed a field the other system owns;
 *   - `shared_disagreement`: both systems changed a shared field of the same item (facility and SKU)
 *     to different values within 24 hours (reported on the later change).
 * Fields the matrix does not name are not checked.
 */
export const SHARED_WINDOW_MS = 24 * 3_600_000;

export type System = 'erp' | 'wms';

export interface FieldChange {
  messageId: string;
  system: System;
  facility: string;
  sku: string | null;
  /** `dataObject.field`, as the ownership matrix names it. */
  field: string;
  value: string | null;
  atMs: number;
}

export interface OwnershipRule {
  dataObject: string;
  field: string;
  owner: 'erp' | 'wms' | 'shared';
  precedence: string | null;
}

export type ConflictKind = 'not_owner' | 'shared_disagreement';

export interface OwnershipConflict {
  kind: ConflictKind;
  change: FieldChange;
  owner: OwnershipRule['owner'];
  precedence: string | null;
  /** For a shared field: the other system's change it disagrees with. */
  other: FieldChange | null;
}

const text = (v: unknown) => (v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v));

/** What of a message says which fields it changed. */
export interface ReportingMessage {
  messageId: string;
  direction: string;
  facility: string;
  sku: string | null;
  payload: unknown;
  createdMs: number;
}

/** The field changes a message reports, by the system that sent it. */
export function fieldChangesOf(m: ReportingMessage): FieldChange[] {
  const p = m.payload;
  if (!p || typeof p !== 'object' || Array.isArray(p)) return [];
  const o = p as { field?: unknown; value?: unknown; changes?: unknown };
  const list = Array.isArray(o.changes) ? o.changes : typeof o.field === 'string' ? [o] : [];
  const system: System = m.direction === 'erp_to_wms' ? 'erp' : 'wms';
  return list
    .filter(
      (c): c is { field: string; value?: unknown } =>
        !!c && typeof c === 'object' && typeof (c as { field?: unknown }).field === 'string',
    )
    .map((c) => ({
      messageId: m.messageId,
      system,
      facility: m.facility,
      sku: m.sku,
      field: c.field,
      value: text(c.value),
      atMs: m.createdMs,
    }));
}

/** The conflicts among `changes` (any order) under the matrix, in time order. */
export function ownershipConflicts(
  changes: readonly FieldChange[],
  matrix: readonly OwnershipRule[],
  windowMs = SHARED_WINDOW_MS,
): OwnershipConflict[] {
  const rules = new Map(matrix.map((r) => [`${r.dataObject}.${r.field}`, r]));
  const sorted = [...changes].sort(
    (a, b) => a.atMs - b.atMs || (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0),
  );
  const out: OwnershipConflict[] = [];
  sorted.forEach((c, i) => {
    const rule = rules.get(c.field);
    if (!rule) return;
    if (rule.owner !== 'shared') {
      if (rule.owner !== c.system)
        out.push({ kind: 'not_owner', change: c, owner: rule.owner, precedence: rule.precedence, other: null });
      return;
    }
    // The latest earlier change of the same field and item by the other system, within the window.
    for (let j = i - 1; j >= 0; j--) {
      const o = sorted[j];
      if (c.atMs - o.atMs > windowMs) break;
      if (o.field !== c.field || o.facility !== c.facility || o.sku !== c.sku || o.system === c.system) continue;
      if (o.value !== c.value)
        out.push({ kind: 'shared_disagreement', change: c, owner: 'shared', precedence: rule.precedence, other: o });
      break;
    }
  });
  return out;
}
