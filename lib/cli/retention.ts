/**
 * The `retention` commands of `npm run cli` (SPEC 11): set a kind's days, preview what a run would
 * drop (`--json`: the last line is one JSON object, a key per kind), run it with progress.
 */
import type { Db } from '@/db';
import { planRetention, type RetentionPlan } from '@/lib/retention/plan';
import { runAndRecord } from '@/lib/retention/schedule';
import { parseDays, saveSettings, SETTING_LABELS, type SettingKey } from '@/lib/retention/settings';

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
const n = (x: number) => x.toLocaleString('en-US');

export async function retentionSet(db: Db, kind: SettingKey, days: string): Promise<string[]> {
  const value = parseDays(days);
  const saved = await saveSettings(db, { [kind]: Number.isNaN(value) ? days : value } as never);
  const v = saved[kind];
  return [`${SETTING_LABELS[kind]} (${kind}): ${v === null ? 'kept forever' : `kept ${n(v)} days`}.`];
}

/** The preview as one JSON object, a key per kind: what a run would drop now. */
export function previewJson(plan: RetentionPlan): string {
  return JSON.stringify(plan);
}

export function previewText(plan: RetentionPlan): string[] {
  const out: string[] = [];
  for (const [kind, p] of Object.entries(plan)) {
    const keep = p.days === null ? 'kept forever' : `kept ${n(p.days)} days, cutoff ${p.cutoff}`;
    out.push(`${kind}: ${keep}: ${p.partitions.length} partitions, ${n(p.rows)} rows, ${mb(p.bytes)} would go`);
    for (const part of p.partitions)
      out.push(
        `  ${part.partition}\t${part.bound}\t${n(part.rows)}${part.estimated ? ' (est.)' : ''} rows\t${mb(part.bytes)}`,
      );
    for (const x of p.held) out.push(`  ${x.partition}: kept, ${x.reason}`);
    for (const t of p.tables.filter((x) => !x.partitioned))
      out.push(`  ${t.table}: ${t.exists ? 'not partitioned' : 'missing'}; skipped (never deleted row by row)`);
  }
  return out;
}

export async function retentionPreview(db: Db, json: boolean): Promise<string[]> {
  const plan = await planRetention(db);
  return json ? [previewJson(plan)] : previewText(plan);
}

export async function retentionRun(db: Db, say: (line: string) => void): Promise<void> {
  const r = await runAndRecord(db, 'cli', { onProgress: say });
  const dropped = Object.values(r.kinds).reduce((a, k) => a + k.partitions.length, 0);
  say(`${dropped} partitions dropped; ${n(r.rollupRowsDeleted)} rollup rows past their retention removed.`);
}
