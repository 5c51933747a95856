import 'server-only';
import { cache } from 'react';
import { changeLogAnnotations } from '@/components/charts/annotations';
import { TrendChart } from '@/components/charts/trend-chart';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import type { PageScope } from '@/lib/filters';
import { changeAnnotations, kpiSeries } from '@/lib/kpi/series';
import { readDb } from '@/lib/http/read';
import { messagesHorizon } from '@/lib/retention/horizon';

const PALETTE = ['#1d4ed8', '#b91c1c', '#15803d', '#b45309', '#7c3aed', '#0f766e', '#be185d', '#475569'];

type Row = Record<string, number | string | null>;

/** Failure rate and processing delay per tx type (the six busiest), read once for both charts. */
const trendsOf = cache(async (scope: PageScope) => {
  const db = await readDb();
  const [{ grain, points }, changes, horizon] = await Promise.all([
    kpiSeries(db, scope, 'txType'),
    changeAnnotations(db, scope),
    messagesHorizon(db),
  ]);
  const volume = new Map<string, number>();
  for (const p of points) volume.set(p.txType, (volume.get(p.txType) ?? 0) + p.messages);
  const types = [...volume.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([t]) => t);
  const byT = new Map<string, { fail: Row; delay: Row }>();
  for (const p of points) {
    if (!types.includes(p.txType)) continue;
    const row = byT.get(p.t) ?? { fail: { t: p.t }, delay: { t: p.t } };
    row.fail[p.txType] = p.messages ? p.failed / p.messages : null;
    row.delay[p.txType] = p.delivered ? p.delaySumMs / p.delivered : null;
    byT.set(p.t, row);
  }
  const rows = [...byT.values()];
  return {
    grain,
    empty: points.length === 0,
    fail: rows.map((r) => r.fail),
    delay: rows.map((r) => r.delay),
    series: Object.fromEntries(types.map((t, i) => [t, { label: t, color: PALETTE[i % PALETTE.length] }])),
    annotations: changeLogAnnotations(changes),
    /** Retention dropped the raw messages before this time, inside the window (null when it did not). */
    rawGoneBefore: horizon && scope.from < horizon ? horizon.toISOString() : null,
  };
});

const METRICS = {
  fail: {
    title: 'Failure rate by transaction type',
    format: 'percent',
    note: '; dashed lines are change-log entries (red: not integration-reviewed).',
  },
  delay: { title: 'Average processing delay by transaction type', format: 'duration', note: ', delivered messages.' },
} as const;

/**
 * One trend per tx type (the failure rate or the average processing delay), with change-log
 * entries. In an empty window the failure card says what to do instead, and the delay card is left
 * out.
 */
export async function TrendCard({ scope, metric }: { scope: PageScope; metric: keyof typeof METRICS }) {
  const t = await trendsOf(scope);
  const m = METRICS[metric];
  if (t.empty) {
    return metric === 'fail' ? (
      <div className="xl:col-span-2">
        <EmptyState title="No messages in this window">
          Pick a longer time range, or send messages to <code>/api/v1/messages</code> (see the API page).
        </EmptyState>
      </div>
    ) : null;
  }
  return (
    <Card>
      <CardHeader title={m.title} description={`Per ${t.grain}${m.note}`} />
      <CardBody>
        <TrendChart
          data={t[metric]}
          config={{ series: t.series, format: m.format }}
          grain={t.grain}
          annotations={t.annotations}
        />
        {t.rawGoneBefore ? <RawGoneNote before={t.rawGoneBefore} /> : null}
      </CardBody>
    </Card>
  );
}

/**
 * Said under a chart whose window reaches back past the raw-message horizon: its figures there come
 * from the rollups, which outlive the raw rows (SPEC 11).
 */
export function RawGoneNote({ before }: { before: string }) {
  return (
    <p className="mt-2 text-xs text-amber-800" data-testid="raw-gone-note">
      Raw messages before {before.slice(0, 16).replace('T', ' ')} UTC were removed by retention: this part of the chart
      reads the rollups, which are kept longer; single messages from then can no longer be opened.
    </p>
  );
}
