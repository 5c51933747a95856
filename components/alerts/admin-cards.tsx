import Link from 'next/link';
import { DeliveriesTable, SEVERITY_TONE } from '@/components/alerts/alert-cards';
import { SendTestButton } from '@/components/alerts/admin-forms';
import { RemoveButton } from '@/components/admin/remove-button';
import { Badge } from '@/components/ui/badge';
import { Pagination } from '@/components/ui/pagination';
import { Table, Td } from '@/components/ui/table';
import { TableCard } from '@/components/ui/table-card';
import { Time } from '@/components/ui/time';
import { readDb } from '@/lib/http/read';
import { listDeliveries, type DeliveryFilters } from '@/lib/alerts/queries';
import { listChannels, listRules, listSilences } from '@/lib/alerts/config-lists';
import type { FormAction } from '@/lib/http/action-state';
import { withParams, type FlatParams } from '@/lib/http/search-params';

const TABS = [
  ['/admin/alerts/rules', 'Rules'],
  ['/admin/alerts/channels', 'Channels'],
  ['/admin/alerts/silences', 'Silences'],
  ['/admin/alerts/deliveries', 'Deliveries'],
] as const;

/** The four alert admin pages, one tab each. */
export function AlertAdminTabs({ current }: { current: (typeof TABS)[number][0] }) {
  return (
    <nav
      aria-label="Alert administration"
      className="flex w-fit overflow-hidden rounded-md border border-slate-300 text-sm"
    >
      {TABS.map(([href, label]) => (
        <Link
          key={href}
          href={href}
          aria-current={href === current ? 'page' : undefined}
          className={`px-3 py-1.5 ${href === current ? 'bg-slate-800 text-white' : 'bg-white hover:bg-slate-50'}`}
        >
          {label}
        </Link>
      ))}
    </nav>
  );
}

const duration = (v: string | null) => v ?? <span className="text-slate-500">—</span>;

/** Every rule with what it watches, its threshold, where it notifies, and how many of its alerts fire. */
export async function RulesListCard({ remove }: { remove: FormAction }) {
  const rules = await listRules(await readDb());
  return (
    <TableCard
      title="Rules"
      testId="rules-card"
      rows={rules}
      empty={{ title: 'No rules yet', text: 'Add one above, or apply a file with npm run cli -- alerts apply.' }}
    >
      <Table
        caption="Alert rules"
        columns={['Rule', 'Watches', 'Condition', 'Pending', 'Repeat / escalate', 'Channels', 'Firing', '']}
      >
        <tbody>
          {rules.map((r) => (
            <tr key={r.id} data-testid="rule-row">
              <Td>
                <Link
                  href={`/admin/alerts/rules?rule=${encodeURIComponent(r.id)}`}
                  className="font-medium text-blue-700 hover:underline"
                >
                  {r.name}
                </Link>
                <span className="block text-xs text-slate-500">
                  {r.id} · <Badge tone={SEVERITY_TONE[r.severity]}>{r.severity}</Badge>
                  {r.enabled ? null : (
                    <>
                      {' '}
                      <Badge>disabled</Badge>
                    </>
                  )}
                </span>
              </Td>
              <Td>
                {r.kind}
                {r.kpi ? ` · ${r.kpi}` : ''}
                {r.window ? ` over ${r.window}` : ''}
                <span className="block text-xs text-slate-500">
                  {r.facility === '*' ? 'each facility' : (r.facility ?? 'all facilities')}
                  {r.txType ? ` · ${r.txType}` : ''}
                </span>
              </Td>
              <Td className="whitespace-nowrap tabular-nums">
                {r.op} {r.threshold}
                {r.resolveThreshold !== null ? (
                  <span className="block text-xs text-slate-500">resolves at {r.resolveThreshold}</span>
                ) : null}
              </Td>
              <Td>{r.pendingFor}</Td>
              <Td className="text-xs">
                {duration(r.repeatEvery)} / {duration(r.escalateAfter)}
                {r.escalateTo.length ? <span className="block text-slate-500">→ {r.escalateTo.join(', ')}</span> : null}
              </Td>
              <Td className="text-xs">{r.channels.join(', ') || '—'}</Td>
              <Td align="right">
                {r.firing ? (
                  <Link
                    href={`/alerts?view=firing&ruleId=${encodeURIComponent(r.id)}`}
                    className="text-red-700 underline"
                  >
                    {r.firing}
                  </Link>
                ) : (
                  0
                )}
              </Td>
              <Td>
                <RemoveButton action={remove} values={{ kind: 'rule', id: r.id }} label={`Remove rule ${r.id}`} />
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </TableCard>
  );
}

const shown = (v: unknown) => (Array.isArray(v) ? v.join(', ') : v === undefined || v === null ? '' : String(v));

/** Every channel with its fields (secrets masked), last week's deliveries, "send test", change and remove. */
export async function ChannelsListCard({ remove, sendTest }: { remove: FormAction; sendTest: FormAction }) {
  const channels = await listChannels(await readDb());
  return (
    <TableCard
      title="Channels"
      testId="channels-card"
      rows={channels}
      empty={{ title: 'No channels yet', text: 'Add an email, webhook, Slack, Teams or PagerDuty channel above.' }}
    >
      <Table caption="Alert channels" columns={['Channel', 'Settings', 'Last 7 days', 'Test', '']}>
        <tbody>
          {channels.map((c) => (
            <tr key={c.id} data-testid="channel-row">
              <Td>
                <Link
                  href={`/admin/alerts/channels?channel=${encodeURIComponent(c.id)}`}
                  className="font-medium text-blue-700 hover:underline"
                >
                  {c.id}
                </Link>
                <span className="block text-xs text-slate-500">
                  {c.type} {c.enabled ? null : <Badge>disabled</Badge>}
                </span>
              </Td>
              <Td className="text-xs">
                <dl className="grid grid-cols-[auto_1fr] gap-x-2">
                  {Object.entries(c.config).map(([k, v]) => (
                    <div key={k} className="contents">
                      <dt className="text-slate-500">{k}</dt>
                      <dd className="break-all font-mono">{shown(v)}</dd>
                    </div>
                  ))}
                </dl>
              </Td>
              <Td className="text-xs tabular-nums">
                <Link
                  href={`/admin/alerts/deliveries?channelId=${encodeURIComponent(c.id)}`}
                  className="text-blue-700 underline"
                >
                  {c.delivered} delivered
                </Link>
                {c.pending ? <span className="block text-amber-800">{c.pending} retrying</span> : null}
                {c.failed ? <span className="block text-red-700">{c.failed} failed</span> : null}
              </Td>
              <Td>
                <SendTestButton action={sendTest} channelId={c.id} />
              </Td>
              <Td>
                <RemoveButton action={remove} values={{ kind: 'channel', id: c.id }} label={`Remove channel ${c.id}`} />
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </TableCard>
  );
}

const SILENCE_TONE = { active: 'info', scheduled: 'warn', ended: 'neutral' } as const;

/** Every silence: what it matches, from when until when, who made it and why; end one early or remove it. */
export async function SilencesListCard({ remove }: { remove: FormAction }) {
  const silences = await listSilences(await readDb());
  return (
    <TableCard
      title="Silences"
      testId="silences-card"
      rows={silences}
      empty={{
        title: 'No silences',
        text: 'A silence holds notifications back (not state) for matching alerts until it ends.',
      }}
    >
      <Table caption="Silences" columns={['Status', 'Matches', 'Starts', 'Ends', 'Comment', 'By', '']}>
        <tbody>
          {silences.map((s) => (
            <tr key={s.id} data-testid="silence-row">
              <Td>
                <Badge tone={SILENCE_TONE[s.status]}>{s.status}</Badge>
                <span className="block text-xs text-slate-500">{s.id}</span>
              </Td>
              <Td className="text-sm">
                {s.ruleId ? `rule ${s.ruleId}` : 'any rule'} · {s.facility ?? 'any facility'}
              </Td>
              <Td>
                <Time iso={s.startsAt} />
              </Td>
              <Td>
                <Time iso={s.endsAt} />
              </Td>
              <Td className="text-sm">{s.comment}</Td>
              <Td className="text-xs">{s.createdBy}</Td>
              <Td>
                <RemoveButton action={remove} values={{ kind: 'silence', id: s.id }} label={`Remove silence ${s.id}`} />
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </TableCard>
  );
}

/** Every delivery with every attempt and error, newest first, filtered by status and channel. */
export async function DeliveriesCard({
  f,
  flat,
  filters,
}: {
  f: DeliveryFilters;
  flat: FlatParams;
  filters: React.ReactNode;
}) {
  const { rows, total, page, pages } = await listDeliveries(await readDb(), f);
  return (
    <TableCard
      title="Deliveries"
      description="One per event and channel; the id is the Sync-Health-Delivery header, the same on every retry."
      testId="deliveries-card"
      filters={filters}
      csvHref={`/api/export/alert-deliveries${withParams(flat, { page: null })}`}
      pager={<Pagination page={page} pages={pages} total={total} params={flat} noun="deliveries" />}
      rows={rows}
      empty={{
        title: 'No deliveries match',
        text: 'Deliveries are made when an alert fires, resolves, repeats or escalates.',
      }}
    >
      <DeliveriesTable rows={rows} withAlert />
    </TableCard>
  );
}
