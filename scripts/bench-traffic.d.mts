export interface BenchMessage {
  messageId: string;
  txType: string;
  direction: string;
  facility: string;
  correlationKey: string;
  lineKey: string;
  sku: string;
  quantity: string;
  uom: string;
  lot: null;
  location: string;
  status: string;
  attempts: number;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: string;
  processedAt: string | null;
  payload: { n: number };
}
/** Batch `b` of `n` messages in batches of `batch`, created over the 90 days before `now`. */
export function batchOf(b: number, n: number, batch: number, now: number): BenchMessage[];
