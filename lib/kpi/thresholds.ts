import 'server-only';
import { sql } from 'drizzle-orm';
import { rows, type Executor } from '@/db';

export type Tone = 'ok' | 'warn' | 'bad' | 'neutral';
export interface Threshold {
  amber: number;
  red: number;
  worse: 'up' | 'down';
}

/** Thresholds per KPI for a facility, falling back to the '*' default. */
export async function thresholdsFor(db: Executor, facility: string | null): Promise<Record<string, Threshold>> {
  const r = await rows<{ kpi: string; facility: string; amber: number; red: number; worse: 'up' | 'down' }>(
    db,
    sql`select kpi, facility, amber, red, worse from thresholds where facility = '*' or facility = ${facility ?? '*'}
      order by (facility = '*') desc`,
  );
  const out: Record<string, Threshold> = {};
  for (const t of r) out[t.kpi] = { amber: Number(t.amber), red: Number(t.red), worse: t.worse };
  return out;
}

export function toneOf(value: number | null, t: Threshold | undefined): Tone {
  if (value === null || !t) return 'neutral';
  if (t.worse === 'up') return value >= t.red ? 'bad' : value >= t.amber ? 'warn' : 'ok';
  return value <= t.red ? 'bad' : value <= t.amber ? 'warn' : 'ok';
}
