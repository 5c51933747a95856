/**
 * One IDoc's message (SPEC 10, `sap-idoc-status`) computed from its control record and every
 * status record known: a pure function, so that importing status rows in pieces, in any order,
 * ends in the same message as importing them at once.
 */
import { TX_TYPES, type TxType } from '@/db/schema';
import type { ControlFact, StatusFact } from './fields';
import { isoOf } from './sap-time';
import { statusGroup, summarize, type StatusSummary } from './summary';

export { DEAD_LETTER_CODES, DELIVERED_CODES, FAILED_CODES, statusGroup } from './summary';

/** The built-in MESTYP mapping; option `map.<MESTYP>=<txType>` adds or overrides. */
export const BUILT_IN_TX_TYPES: Record<string, TxType> = {
  WMMBXY: 'adjustment',
  MBGMCR: 'adjustment',
  SHPCON: 'shipment',
  DESADV: 'shipment',
  WHSCON: 'shipment',
  DELVRY: 'order_release',
  SHPORD: 'order_release',
  MATMAS: 'item_master',
  ARTMAS: 'item_master',
  ORDERS: 'purchase_order',
  WMTORD: 'putaway',
  WMTOCO: 'putaway',
  WMINVE: 'cycle_count',
};

export const isTxType = (v: string): v is TxType => (TX_TYPES as readonly string[]).includes(v);

/** What the options decide, read once per import. */
export interface Mapping {
  /** MESTYP (upper case) → txType: the built-in map with the `map.` options over it. */
  txTypes: Map<string, TxType>;
  /** Partner number → facility (`partner.<number>` options). */
  partners: Map<string, string>;
  /** Option `facility`: the facility of an IDoc whose partner has none. */
  facility: string | null;
}

/** A partner's facility: the option written for it exactly, else one whose number differs only in leading zeros. */
function partnerFacility(m: Mapping, partner: string | null): string | null {
  if (!partner) return null;
  const exact = m.partners.get(partner);
  if (exact !== undefined) return exact;
  const bare = partner.replace(/^0+(?=.)/, '');
  for (const [k, v] of m.partners) if (k.replace(/^0+(?=.)/, '') === bare) return v;
  return null;
}

/**
 * SAP's message text with its placeholders filled: `&1`…`&4` by position, each bare `&` by the
 * next parameter in turn, `&&` as one `&`. A missing parameter fills nothing.
 */
export function fillPlaceholders(text: string, params: (string | null)[]): string {
  let next = 0;
  return text
    .replace(/&&|&([1-4])|&/g, (match, n: string | undefined) => {
      if (match === '&&') return '&';
      if (n) return params[Number(n) - 1] ?? '';
      return params[next++] ?? '';
    })
    .trim();
}

export type Computed = { value: Record<string, unknown>; errors?: undefined } | { value?: undefined; errors: string[] };

/**
 * The message of one IDoc. `statuses` are its status rows in any order (one per COUNTR).
 * The control record is required (the caller rejects status rows without one).
 */
export function computeMessage(control: ControlFact, statuses: StatusFact[], m: Mapping): Computed {
  return computeFromSummary(control, summarize(statuses), m);
}

/** The message of one IDoc from its control record and the summary of its status rows. */
export function computeFromSummary(control: ControlFact, s: StatusSummary, m: Mapping): Computed {
  const code = s.lastStatus ?? control.status;
  const status = statusGroup(code);
  const errors: string[] = [];

  const txType = m.txTypes.get(control.mestyp.toUpperCase());
  if (!txType)
    errors.push(
      `MESTYP "${control.mestyp}" has no txType: add the option map.${control.mestyp}=<txType> (one of ${TX_TYPES.join(', ')})`,
    );

  let direction: 'erp_to_wms' | 'wms_to_erp' | null = null;
  if (control.direct === '1') direction = 'erp_to_wms';
  else if (control.direct === '2') direction = 'wms_to_erp';
  else if (!control.direct) direction = Number(code) < 50 ? 'erp_to_wms' : 'wms_to_erp';
  else errors.push(`DIRECT "${control.direct}" is neither 1 (outbound) nor 2 (inbound)`);

  let facility: string | null = null;
  if (direction) {
    const partnerField = direction === 'wms_to_erp' ? 'SNDPRN' : 'RCVPRN';
    const partner = direction === 'wms_to_erp' ? control.sndprn : control.rcvprn;
    facility = partnerFacility(m, partner) ?? m.facility;
    if (!facility)
      errors.push(
        `no facility for this IDoc: add the option partner.${partner || '<partner number>'}=<facility> ` +
          `(its ${partnerField}${partner ? ` is "${partner}"` : ' is empty'}) or the option facility`,
      );
  }
  if (errors.length) return { errors };

  let errorCode: string | null = null;
  let errorMessage: string | null = null;
  if (status === 'failed' || status === 'dead_letter') {
    // The failed row with the highest COUNTR; a dead letter without one is explained by its own last row.
    const failing = s.failing ?? s.lastError;
    if (failing) {
      errorCode =
        failing.stamid || failing.stamno
          ? `${failing.stamid ?? ''}/${failing.stamno ?? ''}`
          : `STATUS ${failing.status}`;
      const filled = failing.statxt
        ? fillPlaceholders(failing.statxt, [failing.stapa1, failing.stapa2, failing.stapa3, failing.stapa4])
        : '';
      errorMessage = filled || `STATUS ${failing.status}`;
    } else {
      errorCode = errorMessage = `STATUS ${code}`;
    }
  }

  const hasRows = s.lastStatus !== null;
  const createdAt = isoOf(control.createdMs);
  const controlTime = control.updatedMs ?? control.createdMs;
  const processedAt = status === 'delivered' ? isoOf(hasRows ? s.lastMs : controlTime) : null;
  const updatedAt = isoOf(hasRows ? s.lastMs : controlTime);
  return {
    value: {
      messageId: control.docnum,
      txType,
      direction,
      facility,
      status,
      // Attempts: each distinct time the IDoc reached a failed or delivered status.
      attempts: Math.max(1, s.attempts),
      errorCode,
      errorMessage,
      createdAt,
      processedAt,
      updatedAt,
      payload: {
        idoc: {
          mestyp: control.mestyp,
          status: code,
          direct: control.direct,
          sndprn: control.sndprn,
          rcvprn: control.rcvprn,
          statusRecords: s.count,
        },
      },
    },
  };
}

/** The mapping the options give, or the option that is wrong. */
export function mappingOf(
  maps: Record<string, string>,
  partners: Record<string, string>,
  facility: string | null,
): { mapping: Mapping; error?: undefined } | { mapping?: undefined; error: string } {
  const txTypes = new Map<string, TxType>(Object.entries(BUILT_IN_TX_TYPES));
  for (const [mestyp, tx] of Object.entries(maps)) {
    if (!mestyp) return { error: 'Option "map." names no MESTYP: write map.<MESTYP>=<txType>.' };
    if (!isTxType(tx))
      return { error: `Option map.${mestyp}: "${tx}" is not a txType (one of ${TX_TYPES.join(', ')}).` };
    txTypes.set(mestyp.toUpperCase(), tx);
  }
  const byPartner = new Map<string, string>();
  for (const [partner, f] of Object.entries(partners)) {
    if (!partner || !f.trim())
      return { error: `Option partner.${partner}: write partner.<partner number>=<facility>.` };
    byPartner.set(partner, f.trim());
  }
  return { mapping: { txTypes, partners: byPartner, facility: facility?.trim() || null } };
}
