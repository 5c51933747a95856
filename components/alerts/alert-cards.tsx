import Link from 'next/link';
import { AcknowledgeForm } from '@/components/alerts/ack-form';
import { Badge, type Tone } from '@/components/ui/badge';
import { Pagination } from '@/components/ui/pagination';
import { Table, Td, Th } from '@/components/ui/table';
import { TableCard } from '@/components/ui/table-card';
import { Time } from '@/components/ui/time';
import { readDb } from '@/lib/http/read';
import {
  listAlerts,
  type AlertFilters,
  type AlertListRow,
  type DeliveryRow,
  type TransitionRow,
} from '@/lib/alerts/queries';
import { formatAge } from '@/lib/format';
import type { FormAction } from '@/lib/http/action-state';
import { withParams, type FlatParams } from '@/lib/http/search-params';

export const STATE_TONE: Record<string, Tone> = { firing: 'bad', pending: 'warn', normal: 'ok' };
export const SEVERITY_TONE: Record<string, Tone> = { critical: 'bad', warning: 'warn', info: 'info' };
export const DELIVERY_TONE: Record<string, Tone> = {
  delivered: 'ok',
  pending: 'warn',
  failed: 'bad',
  suppressed: 'neutral',
};

/** A rule's value as people read it: an age for the age rule, else the number. */
export function formatAlertValue(kind: string, v: number | null): string {
  if (v === null || v === undefined) return '—';
  if (kind === 'oldest_exception_age' || kind === 'review_overdue') return formatAge(v);
  return v.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

/** "12 > 10": the value against the threshold the rule compares it with. */
export function ValueVsThreshold({ a }: { a: Pick<AlertListRow, 'kind' | 'value' | 'op' | 'threshold'> }) {
  return (
    <span className="whitespace-nowrap tabular-nums">
      <strong className="font-semibold">{formatAlertValue(a.kind, a.value)}</strong>
      <span className="text-slate-500">
        {' '}
        {a.op} {formatAlertValue(a.kind, a.threshold)}
      </span>
    </span>
  );
}

const EMPTY: Record<AlertFilters['view'], { title: string; text: string }> = {
  firing: {
    title: 'Nothing is firing',
    text: 'Every rule is within its threshold. Pending and recent alerts are in the other tabs.',
  },
  pending: { title: 'Nothing is pending', text: 'No rule holds its condition waiting for its pending time.' },
  recent: {
    title: 'Nothing resolved in the last 7 days',
    text: 'Alerts that fired and resolved show here for a week.',
  },
  all: {
    title: 'No alerts yet',
    text: 'An alert appears once a rule has been evaluated. Rules are set in Admin → Alerts.',
  },
};

/** Firing, pending, recent or all alerts: rule, scope, value against threshold, since when, who acknowledged. */
export async function AlertsCard({
  f,
  flat,
  acknowledge,
}: {
  f: AlertFilters;
  flat: FlatParams;
  /** The acknowledge action, for people who may act (alerts.act, checked by the page and the action). */
  acknowledge: FormAction | null;
}) {
  const { rows, total, page, pages } = await listAlerts(await readDb(), f);
  const title = { firing: 'Firing alerts', pending: 'Pending alerts', recent: 'Recently resolved', all: 'All alerts' }[
    f.view
  ];
  return (
    <TableCard
      title={title}
      testId="alerts-card"
      csvHref={`/api/export/alerts${withParams(flat, { page: null, view: f.view })}`}
      pager={<Pagination page={page} pages={pages} total={total} params={flat} noun="alerts" />}
      rows={rows}
      empty={EMPTY[f.view]}
    >
      <Table caption={title}>
        <thead>
          <tr>
            <Th>Severity</Th>
            <Th>Rule</Th>
            <Th>Facility</Th>
            <Th>State</Th>
            <Th align="right">Value</Th>
            <Th>Since</Th>
            <Th>Acknowledged</Th>
          </tr>
        </thead>
        <tbody>
          {rows.map((a) => (
            <tr key={a.id} className="hover:bg-slate-50" data-testid="alert-row" data-state={a.state}>
              <Td>
                <Badge tone={SEVERITY_TONE[a.severity]}>{a.severity}</Badge>
              </Td>
              <Td>
                <Link href={`/alerts/${a.id}`} className="font-medium text-blue-700 hover:underline">
                  {a.ruleName}
                </Link>
                <span className="block text-xs text-slate-500">{a.ruleId}</span>
              </Td>
              <Td>{a.facility ?? <span className="text-slate-500">all</span>}</Td>
              <Td>
                <Badge tone={STATE_TONE[a.state]}>{a.state}</Badge>
              </Td>
              <Td align="right">
                <ValueVsThreshold a={a} />
              </Td>
              <Td>
                <Time iso={a.since} />
              </Td>
              <Td>
                {a.acknowledgedBy ? (
                  <span className="text-sm">
                    {a.acknowledgedBy}
                    <span className="block text-xs text-slate-500">
                      <Time iso={a.acknowledgedAt} /> · {a.acknowledgeNote}
                    </span>
                  </span>
                ) : a.state === 'firing' && acknowledge ? (
                  <AcknowledgeForm
                    action={acknowledge}
                    alertId={a.id}
                    label={`${a.ruleName} ${a.facility ?? ''}`.trim()}
                  />
                ) : (
                  <span className="text-slate-500">—</span>
                )}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </TableCard>
  );
}

/** Every state change and acknowledgement of an alert, newest first. */
export function TransitionsTable({ rows, kind }: { rows: TransitionRow[]; kind: string }) {
  return (
    <Table caption="Transitions" columns={['At', 'From', 'To', ['Value', 'right'], 'By', 'Note']}>
      <tbody>
        {rows.map((t) => (
          <tr key={t.id} data-testid="transition-row">
            <Td>
              <Time iso={t.at} withSeconds />
            </Td>
            <Td>{t.fromState ? <Badge tone={STATE_TONE[t.fromState]}>{t.fromState}</Badge> : '—'}</Td>
            <Td>
              <Badge tone={STATE_TONE[t.toState]}>{t.toState}</Badge>
            </Td>
            <Td align="right">{formatAlertValue(kind, t.value)}</Td>
            <Td>{t.by ?? '—'}</Td>
            <Td>{t.note ?? ''}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** Deliveries with every attempt under each: when, the answer or the error, how long. */
export function DeliveriesTable({ rows, withAlert = false }: { rows: DeliveryRow[]; withAlert?: boolean }) {
  return (
    <Table caption="Deliveries">
      <thead>
        <tr>
          <Th>Created</Th>
          {withAlert ? <Th>Alert</Th> : null}
          <Th>Event</Th>
          <Th>Channel</Th>
          <Th>Status</Th>
          <Th>Attempts</Th>
          <Th>Delivery id</Th>
        </tr>
      </thead>
      <tbody>
        {rows.map((d) => (
          <tr key={d.id} data-testid="delivery-row" className="align-top">
            <Td>
              <Time iso={d.createdAt} withSeconds />
            </Td>
            {withAlert ? (
              <Td>
                <Link href={`/alerts/${d.alertId}`} className="text-blue-700 hover:underline">
                  {d.ruleName ?? `#${d.alertId}`}
                </Link>
                <span className="block text-xs text-slate-500">{d.facility ?? 'all facilities'}</span>
              </Td>
            ) : null}
            <Td>{d.event}</Td>
            <Td>
              {d.channelId}
              <span className="block text-xs text-slate-500">{d.channelType ?? 'removed'}</span>
            </Td>
            <Td>
              <Badge tone={DELIVERY_TONE[d.status]}>{d.status}</Badge>
              {d.status === 'pending' ? (
                <span className="block text-xs text-slate-500">
                  next <Time iso={d.nextAttemptAt} withSeconds />
                </span>
              ) : null}
            </Td>
            <Td>
              {d.tries.length ? (
                <ol className="space-y-0.5 text-xs" data-testid="attempts">
                  {d.tries.map((t) => (
                    <li key={t.id} className={t.ok ? 'text-green-800' : 'text-red-700'}>
                      <Time iso={t.at} withSeconds /> {t.ok ? 'ok' : 'failed'}
                      {t.statusCode ? ` · HTTP ${t.statusCode}` : ''}
                      {t.durationMs !== null ? ` · ${t.durationMs} ms` : ''}
                      {t.error ? <span className="block break-all text-slate-600">{t.error}</span> : null}
                    </li>
                  ))}
                </ol>
              ) : (
                <span className="text-xs text-slate-500">
                  {d.status === 'suppressed' ? 'silenced' : 'not tried yet'}
                </span>
              )}
            </Td>
            <Td>
              <code className="text-xs">{d.id}</code>
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** The tabs of /alerts, each with its count, keeping the other filters. */
export function AlertTabs({
  flat,
  view,
  counts,
}: {
  flat: FlatParams;
  view: AlertFilters['view'];
  counts: Record<'firing' | 'pending' | 'recent', number>;
}) {
  const tabs: [AlertFilters['view'], string][] = [
    ['firing', `Firing (${counts.firing})`],
    ['pending', `Pending (${counts.pending})`],
    ['recent', `Recent (${counts.recent})`],
    ['all', 'All'],
  ];
  return (
    <nav aria-label="Alert state" className="flex w-fit overflow-hidden rounded-md border border-slate-300 text-sm">
      {tabs.map(([v, label]) => (
        <Link
          key={v}
          href={withParams(flat, { view: v, page: null })}
          aria-current={view === v ? 'page' : undefined}
          className={`px-3 py-1.5 ${view === v ? 'bg-slate-800 text-white' : 'bg-white hover:bg-slate-50'}`}
        >
          {label}
        </Link>
      ))}
    </nav>
  );
}
