import 'server-only';
import { cache } from 'react';
import { changeLogAnnotations } from '@/components/charts/annotations';
import { TrendChart } from '@/components/charts/trend-chart';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { getDb } from '@/db';
import type { PageScope } from '@/lib/filters';
import { changeAnnotations, kpiSeries } from '@/lib/kpi/series';

const PALETTE = ['#1d4ed8', '#b91c1c', '#15803d', '#b45309', '#7c3aed', '#0f766e', '#be185d', '#475569'];

type Row = Record<string, number | string | null>;

/** Failure rate and processing delay per tx type (the six busiest), read once for both charts. */
const trendsOf = cache(async (scope: PageScope) => {
  const db = await getDb();
  const [{ grain, points }, changes] = await Promise.all([kpiSeries(db, scope, 'txType'), changeAnnotations(db, scope)]);
  const volume = new Map<string, number>();
  for (const p of points) volume.set(p.txType, (volume.get(p.txType) ?? 0) + p.messages);
  const types = [...volume.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([t]) => t);
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
  };
});

/** The failure rate per tx type, with change-log entries; in an empty window, what to do instead. */
export async function FailureTrendCard({ scope }: { scope: PageScope }) {
  const t = await trendsOf(scope);
  if (t.empty) {
    return (
      <div className="xl:col-span-2">
        <EmptyState title="No messages in this window">
          Pick a longer time range, or send messages to <code>/api/v1/messages</code> (see the API page).
        </EmptyState>
      </div>
    );
  }
  return (
    <Card>
      <CardHeader
        title="Failure rate by transaction type"
        description={`Per ${t.grain}; dashed lines are change-log entries (red: not integration-reviewed).`}
      />
      <CardBody>
        <TrendChart data={t.fail} config={{ series: t.series, format: 'percent' }} grain={t.grain} annotations={t.annotations} />
      </CardBody>
    </Card>
  );
}

/** The average processing delay per tx type (nothing in an empty window: the failure card says so). */
export async function DelayTrendCard({ scope }: { scope: PageScope }) {
  const t = await trendsOf(scope);
  if (t.empty) return null;
  return (
    <Card>
      <CardHeader title="Average processing delay by transaction type" description={`Per ${t.grain}, delivered messages.`} />
      <CardBody>
        <TrendChart data={t.delay} config={{ series: t.series, format: 'duration' }} grain={t.grain} annotations={t.annotations} />
      </CardBody>
    </Card>
  );
}
