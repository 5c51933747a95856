/**
 * What a simulation produces (the records the v1 API takes) and the fixed facts of its world:
 * the item codes, where each item lies, the case size, the customers.
 */
import type { CorrectionRecord, MessageRecord } from '@/lib/api/schemas';
import type { ScenarioName } from '@/lib/simulator/scenario';

/** A message as the v1 API takes it, with the fields the simulator always sets filled in. */
export type SimMessage = Omit<MessageRecord, 'txType' | 'customer' | 'updatedAt' | 'payload'> & {
  txType: string;
  /** Whom an outbound document is for. */
  customer?: string | null;
  updatedAt: string;
  payload: Record<string, unknown>;
};

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

/** A correction as the v1 API takes it; the simulator always names the reason, the user and the effort. */
export type SimCorrection = CorrectionRecord & { reasonCode: string; user: string; effortMinutes: number };

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

export const SKU_COUNT = 60;
/** Each in a case, in both item masters (but for item_master_drift). */
export const CASE = 12;
export const CUSTOMERS = [
  'Northwind Retail',
  'Contoso Stores',
  'Fabrikam Outdoor',
  'Tailspin Toys',
  'Wide World Importers',
  'Litware Labs',
];
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

export const skuCode = (i: number) => `SKU-${String(10000 + i)}`;
const skuIndex = (sku: string) => Number(sku.slice(4)) - 10000;
/** The bin an item is stored in, in every facility. */
export const locationOf = (sku: string) => {
  const i = skuIndex(sku);
  return `A-${String((i % 20) + 1).padStart(2, '0')}-${String((i % 5) + 1).padStart(2, '0')}`;
};
/** The lot an item's stock carries (every third item is lot-controlled), or null. */
export const lotOf = (sku: string) => {
  const i = skuIndex(sku);
  return i % 3 === 0 ? `L${1000 + i}` : null;
};

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
