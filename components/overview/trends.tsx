import { TrendChart, type Annotation } from '@/components/charts/trend-chart';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { getDb } from '@/db';
import type { PageScope } from '@/lib/filters';
import { changeAnnotations, kpiSeries } from '@/lib/kpi/series';

const PALETTE = ['#1d4ed8', '#b91c1c', '#15803d', '#b45309', '#7c3aed', '#0f766e', '#be185d', '#475569'];

/** Failure rate and processing delay per tx type, with change-log entries as annotations. */
export async function Trends({ scope }: { scope: PageScope }) {
  const db = await getDb();
  const [{ grain, points }, changes] = await Promise.all([kpiSeries(db, scope, 'txType'), changeAnnotations(db, scope)]);
  if (!points.length) {
    return (
      <EmptyState title="No messages in this window">
        Pick a longer time range, or send messages to <code>/api/v1/messages</code> (see the API page).
      </EmptyState>
    );
  }
  const volume = new Map<string, number>();
  for (const p of points) volume.set(p.txType, (volume.get(p.txType) ?? 0) + p.messages);
  const types = [...volume.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([t]) => t);
  const byT = new Map<string, { fail: Record<string, number | string | null>; delay: Record<string, number | string | null> }>();
  for (const p of points) {
    if (!types.includes(p.txType)) continue;
    const row = byT.get(p.t) ?? { fail: { t: p.t }, delay: { t: p.t } };
    row.fail[p.txType] = p.messages ? p.failed / p.messages : null;
    row.delay[p.txType] = p.delivered ? p.delaySumMs / p.delivered : null;
    byT.set(p.t, row);
  }
  const rowsOut = [...byT.values()];
  const series = Object.fromEntries(types.map((t, i) => [t, { label: t, color: PALETTE[i % PALETTE.length] }]));
  const annotations: Annotation[] = changes.map((c) => ({ at: c.at, label: `${c.kind}: ${c.summary}${c.reviewed ? '' : ' (not reviewed)'}`, reviewed: c.reviewed }));
  return (
    <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
      <Card>
        <CardHeader title="Failure rate by transaction type" description={`Per ${grain}; dashed lines are change-log entries (red: not integration-reviewed).`} />
        <CardBody>
          <TrendChart data={rowsOut.map((r) => r.fail)} config={{ series, format: 'percent' }} grain={grain} annotations={annotations} />
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Average processing delay by transaction type" description={`Per ${grain}, delivered messages.`} />
        <CardBody>
          <TrendChart data={rowsOut.map((r) => r.delay)} config={{ series, format: 'duration' }} grain={grain} annotations={annotations} />
        </CardBody>
      </Card>
    </div>
  );
}
