import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AcknowledgeForm } from '@/components/alerts/ack-form';
import {
  DeliveriesTable,
  SEVERITY_TONE,
  STATE_TONE,
  TransitionsTable,
  ValueVsThreshold,
  formatAlertValue,
} from '@/components/alerts/alert-cards';
import { CHART_RANGES, chartRange, RuleValueCard } from '@/components/alerts/chart-cards';
import { Badge } from '@/components/ui/badge';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { CardSlot } from '@/components/ui/card-slot';
import { CardEmpty } from '@/components/ui/empty-state';
import { Time } from '@/components/ui/time';
import { PageHeader } from '@/components/ui/page-header';
import { readDb } from '@/lib/http/read';
import { ruleFromRow } from '@/lib/alerts/forms';
import { alertDetail } from '@/lib/alerts/queries';
import { getRule } from '@/lib/alerts/config-lists';
import { can } from '@/lib/auth/permissions';
import { requireCapability } from '@/lib/auth/session';
import { flatParams, withParams, type RawParams } from '@/lib/http/search-params';
import { acknowledgeAction } from '../actions';

export const metadata = { title: 'Alert' };

/** One alert: its value over time against the threshold, its transitions and its deliveries. */
export default async function AlertPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<RawParams>;
}) {
  const user = await requireCapability('alerts.read');
  const id = Number((await params).id);
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  const flat = flatParams(await searchParams);
  const range = chartRange(flat.range);
  const db = await readDb();
  const data = await alertDetail(db, id);
  if (!data) notFound();
  const { alert: a, transitions, deliveries } = data;
  const rule = await getRule(db, a.ruleId);
  const canAct = can(user.role, 'alerts.act');
  const label = `${a.ruleName} ${a.facility ?? ''}`.trim();
  const rangeLinks = (
    <nav aria-label="Chart range" className="flex gap-1 text-xs">
      {Object.keys(CHART_RANGES).map((r) => (
        <Link
          key={r}
          href={withParams(flat, { range: r })}
          aria-current={r === range ? 'page' : undefined}
          className={`rounded px-2 py-1 ${r === range ? 'bg-slate-800 text-white' : 'border border-slate-300'}`}
        >
          {r}
        </Link>
      ))}
    </nav>
  );
  return (
    <>
      <PageHeader
        title={label}
        description={`${a.ruleId} · ${a.kind}${a.kpi ? ` (${a.kpi}${a.window ? ` over ${a.window}` : ''})` : ''}`}
        actions={
          <Link href="/alerts" className="text-sm text-blue-700 underline">
            ← Back to alerts
          </Link>
        }
      />
      <div className="space-y-4">
        <Card testId="alert-summary">
          <CardBody className="flex flex-wrap items-start gap-x-8 gap-y-3 text-sm">
            <div>
              <div className="text-xs text-slate-500">State</div>
              <Badge tone={STATE_TONE[a.state]}>{a.state}</Badge>{' '}
              <Badge tone={SEVERITY_TONE[a.severity]}>{a.severity}</Badge>
            </div>
            <div>
              <div className="text-xs text-slate-500">Value against threshold</div>
              <ValueVsThreshold a={a} />
              {a.resolveThreshold !== null && a.resolveThreshold !== a.threshold ? (
                <span className="block text-xs text-slate-500">
                  resolves at {formatAlertValue(a.kind, a.resolveThreshold)}
                </span>
              ) : null}
            </div>
            <div>
              <div className="text-xs text-slate-500">Since</div>
              <Time iso={a.since} />
            </div>
            <div>
              <div className="text-xs text-slate-500">Facility</div>
              {a.facility ?? 'all facilities'}
            </div>
            <div>
              <div className="text-xs text-slate-500">Pending for</div>
              {a.pendingFor}
            </div>
            <div>
              <div className="text-xs text-slate-500">Acknowledged</div>
              {a.acknowledgedBy ? (
                <span data-testid="acknowledged-by">
                  {a.acknowledgedBy} · <Time iso={a.acknowledgedAt} /> · {a.acknowledgeNote}
                </span>
              ) : a.state === 'firing' && canAct ? (
                <AcknowledgeForm action={acknowledgeAction} alertId={a.id} label={label} />
              ) : (
                '—'
              )}
            </div>
          </CardBody>
        </Card>
        {rule ? (
          <CardSlot name="alert-chart" rows={6}>
            <RuleValueCard
              title={`Value over the last ${range}`}
              rule={{ ...ruleFromRow(rule), facility: a.facility }}
              hours={CHART_RANGES[range]}
              testId="alert-chart-card"
              actions={rangeLinks}
            />
          </CardSlot>
        ) : null}
        <Card testId="alert-transitions">
          <CardHeader title="Transitions" description="Every state change with its time and value, newest first." />
          {transitions.length ? (
            <TransitionsTable rows={transitions} kind={a.kind} />
          ) : (
            <CardEmpty title="No transitions yet">The alert has stayed in its first state.</CardEmpty>
          )}
        </Card>
        <Card testId="alert-deliveries">
          <CardHeader title="Deliveries" description="Each notification per channel, with every attempt." />
          {deliveries.length ? (
            <DeliveriesTable rows={deliveries} />
          ) : (
            <CardBody>
              <p className="text-sm text-slate-500">No notifications for this alert.</p>
            </CardBody>
          )}
        </Card>
      </div>
    </>
  );
}
