import type { MessageRecord } from '../lib/api/schemas';

/** A v1 message record; the bench sends no customer or update time. */
export type BenchMessage = Omit<MessageRecord, 'customer' | 'updatedAt' | 'payload'> & { payload: { n: number } };
/** Batch `b` of `n` messages in batches of `batch`, created over the 90 days before `now`. */
export function batchOf(b: number, n: number, batch: number, now: number): BenchMessage[];
