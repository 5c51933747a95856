import { AlertValueChart } from '@/components/alerts/alert-chart';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Time } from '@/components/ui/time';
import { readDb } from '@/lib/http/read';
import { firedAt, ruleValueSeries } from '@/lib/alerts/evaluate';
import { issueLines, ruleSchema } from '@/lib/alerts/config-schema';

const HOUR = 3_600_000;

/** The last `hours` whole hours, the current one included. */
function lastHours(hours: number): { from: Date; to: Date } {
  const to = new Date(Math.floor(Date.now() / HOUR) * HOUR + HOUR);
  return { from: new Date(to.getTime() - hours * HOUR), to };
}

/** The range a chart reads, from the address (`?range=`): the last 24 hours, 7 or 30 days. */
export const CHART_RANGES = { '24h': 24, '7d': 7 * 24, '30d': 30 * 24 } as const;
export type ChartRange = keyof typeof CHART_RANGES;
export const chartRange = (v: string | undefined): ChartRange => (v && v in CHART_RANGES ? (v as ChartRange) : '7d');

/**
 * A rule's value over a range, hourly, from the rule's own evaluation (lib/alerts ruleValueSeries),
 * with its threshold and resolve lines and where it fires (firedAt). `rule` is the configuration
 * file's form of it, saved or not (the rule form's preview).
 */
export async function RuleValueCard({
  title,
  rule,
  hours,
  testId,
  actions,
}: {
  title: string;
  rule: Record<string, unknown> & { threshold: number };
  hours: number;
  testId: string;
  actions?: React.ReactNode;
}) {
  const { from, to } = lastHours(hours);
  // The rule as the file takes it, its defaults filled (an unsaved form's rule may leave them out).
  const parsed = ruleSchema.safeParse({ id: 'preview', name: 'preview', ...rule });
  let series: Awaited<ReturnType<typeof ruleValueSeries>>;
  try {
    if (!parsed.success) throw new Error(issueLines(parsed.error).join('; '));
    series = await ruleValueSeries(await readDb(), parsed.data, from, to);
  } catch (e) {
    const why = e instanceof Error ? e.message : 'the rule cannot be evaluated';
    return (
      <Card testId={testId}>
        <CardHeader title={title} actions={actions} />
        <CardBody>
          <EmptyState title="No preview for this rule">{why}</EmptyState>
        </CardBody>
      </Card>
    );
  }
  const cfg = parsed.data!;
  const fired = series.map((s) => ({ facility: s.facility, at: firedAt(s.points, cfg) }));
  const firedAll = [...new Set(fired.flatMap((f) => f.at))].sort();
  const hasValues = series.some((s) => s.points.some((p) => p.value !== null));
  const resolve = typeof rule.resolveThreshold === 'number' ? rule.resolveThreshold : null;
  return (
    <Card testId={testId}>
      <CardHeader
        title={title}
        description={
          firedAll.length
            ? `Would have fired ${firedAll.length} time${firedAll.length === 1 ? '' : 's'} in this range.`
            : 'Would not have fired in this range.'
        }
        actions={actions}
      />
      <CardBody>
        {hasValues ? (
          <>
            <AlertValueChart series={series} threshold={rule.threshold} resolveThreshold={resolve} fired={firedAll} />
            {firedAll.length ? (
              <details className="mt-2 text-xs text-slate-600">
                <summary className="cursor-pointer">When it fires</summary>
                <ul className="mt-1 columns-2 md:columns-3" data-testid="fired-at">
                  {fired.flatMap((f) =>
                    f.at.map((at) => (
                      <li key={`${f.facility}-${at}`}>
                        <Time iso={at} /> {f.facility ?? ''}
                      </li>
                    )),
                  )}
                </ul>
              </details>
            ) : null}
          </>
        ) : (
          <EmptyState title="No values in this range">The rule had nothing to measure over these hours.</EmptyState>
        )}
      </CardBody>
    </Card>
  );
}
