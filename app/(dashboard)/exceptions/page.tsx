import Link from 'next/link';
import { BulkActionBar } from '@/components/exceptions/bulk-action-bar';
import { QueueFilterForm } from '@/components/exceptions/queue-filters';
import { Badge, type Tone } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Pagination } from '@/components/ui/pagination';
import { Table, Td, Th } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { getDb } from '@/db';
import { can } from '@/lib/auth/permissions';
import { requireCapability } from '@/lib/auth/session';
import { exceptionOwners, listExceptions, listGroups, parseQueueFilters } from '@/lib/exceptions/queries';
import { scopeFromParams, withParams } from '@/lib/filters';
import { formatAge } from '@/lib/format';
import { maskErrorMessage } from '@/lib/detect/fingerprint';
import { facilities } from '@/lib/kpi/series';
import { bulkAction } from './actions';

export const metadata = { title: 'Exceptions' };

const STATE_TONE: Record<string, Tone> = { open: 'bad', acknowledged: 'warn', resolved: 'ok', ignored: 'neutral' };

type Params = Record<string, string | string[] | undefined>;

export default async function ExceptionsPage({ searchParams }: { searchParams: Promise<Params> }) {
  const user = await requireCapability('exceptions.read');
  const params = await searchParams;
  const hasWindow = !!(params.range || (params.from && params.to));
  const window = hasWindow ? scopeFromParams(params) : null;
  const f = parseQueueFilters(params, window);
  const db = await getDb();
  const [facilityList, owners] = await Promise.all([facilities(db), exceptionOwners(db)]);
  const canAct = can(user.role, 'exceptions.act');
  // Raw error text is for IT and admins; others see it with identifiers masked.
  const raw = can(user.role, 'payloads.read');
  const flat = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])) as Record<string, string | undefined>;
  const keep = { range: flat.range, from: flat.from, to: flat.to, fingerprint: flat.fingerprint };
  const exportQuery = withParams(flat, { page: null });
  const viewHref = (view: string) => withParams(flat, { view, page: null, sort: null });

  return (
    <>
      <PageHeader
        title="Exception queue"
        description={window ? `Opened ${window.from.toISOString().slice(0, 16).replace('T', ' ')} → ${window.to.toISOString().slice(0, 16).replace('T', ' ')} UTC` : 'Every exception, whenever it was opened. Times in your time zone.'}
        actions={
          <div className="flex gap-2 text-sm">
            <nav aria-label="Queue view" className="flex overflow-hidden rounded-md border border-slate-300">
              <Link href={viewHref('list')} aria-current={f.view === 'list' ? 'page' : undefined} className={`px-3 py-1.5 ${f.view === 'list' ? 'bg-slate-800 text-white' : 'bg-white'}`}>By age</Link>
              <Link href={viewHref('groups')} aria-current={f.view === 'groups' ? 'page' : undefined} className={`px-3 py-1.5 ${f.view === 'groups' ? 'bg-slate-800 text-white' : 'bg-white'}`}>By group</Link>
            </nav>
            <a href={`/api/export/exceptions${exportQuery}`} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50" data-testid="export-csv" download>
              Export CSV
            </a>
          </div>
        }
      />
      <div className="space-y-3">
        <QueueFilterForm f={f} facilities={facilityList} owners={owners} keep={keep} />
        {f.fingerprint ? (
          <p className="text-sm text-slate-600">
            Showing one group: <code className="rounded bg-slate-100 px-1">{f.fingerprint}</code>{' '}
            <Link className="text-blue-700 underline" href={withParams(flat, { fingerprint: null, page: null })}>show all</Link>
          </p>
        ) : null}
        {f.view === 'groups' ? <Groups f={f} flat={flat} raw={raw} /> : <List f={f} flat={flat} canAct={canAct} owners={owners} raw={raw} />}
      </div>
    </>
  );
}

async function List({ f, flat, canAct, owners, raw }: { f: ReturnType<typeof parseQueueFilters>; flat: Record<string, string | undefined>; canAct: boolean; owners: string[]; raw: boolean }) {
  const { rows, total, page, pages } = await listExceptions(await getDb(), f);
  return (
    <>
      {canAct ? <BulkActionBar action={bulkAction} owners={owners} /> : <p className="text-sm text-slate-500">Your role can read the queue; ops and IT act on it.</p>}
      <Card>
        {rows.length === 0 ? (
          <div className="p-4">
            <EmptyState title={f.state === 'open' ? 'No open exceptions match' : 'No exceptions match'}>
              {f.state === 'open' ? 'Nothing is waiting. Widen the filters, or look at resolved ones with Status: All.' : 'Try fewer filters.'}
            </EmptyState>
          </div>
        ) : (
          <Table caption="Exceptions">
            <thead>
              <tr>
                {canAct ? <Th><span className="sr-only">Select</span></Th> : null}
                <Th>Age</Th>
                <Th>Opened</Th>
                <Th>Message</Th>
                <Th>Facility</Th>
                <Th>Tx type</Th>
                <Th>SKU</Th>
                <Th>Error</Th>
                <Th>Status</Th>
                <Th>Owner</Th>
                <Th>Root cause</Th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} className="hover:bg-slate-50" data-testid="exception-row">
                  {canAct ? (
                    <Td>
                      <input type="checkbox" name="ids" value={r.id} form="bulk" aria-label={`Select ${r.messageId}`} className="h-4 w-4" />
                    </Td>
                  ) : null}
                  <Td className="whitespace-nowrap tabular-nums">{formatAge(r.ageSeconds)}</Td>
                  <Td><Time iso={r.openedAt} /></Td>
                  <Td className="whitespace-nowrap"><Link href={`/exceptions/${r.id}`} className="font-medium text-blue-700 hover:underline">{r.messageId}</Link></Td>
                  <Td>{r.facility}</Td>
                  <Td>{r.txType}</Td>
                  <Td className="whitespace-nowrap">{r.sku ?? '—'}</Td>
                  <Td>
                    {/* A cell's max-width does not hold in an auto table layout; a block inside it does, so a long message truncates (whole on hover). */}
                    <div className="max-w-[14rem]">
                      <span className="font-mono text-xs">{r.errorCode ?? '—'}</span>
                      <span className="block truncate text-xs text-slate-500" title={(raw ? r.errorMessage : maskErrorMessage(r.errorMessage)) ?? undefined}>
                        {raw ? r.errorMessage : maskErrorMessage(r.errorMessage)}
                      </span>
                    </div>
                  </Td>
                  <Td><Badge tone={STATE_TONE[r.state]}>{r.state}</Badge></Td>
                  <Td>{r.owner ?? <span className="text-slate-500">unassigned</span>}</Td>
                  <Td className="whitespace-nowrap">{r.rootCause.replace('_', ' ')}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
      <Pagination page={page} pages={pages} total={total} params={flat} noun="exceptions" />
    </>
  );
}

async function Groups({ f, flat, raw }: { f: ReturnType<typeof parseQueueFilters>; flat: Record<string, string | undefined>; raw: boolean }) {
  const { rows, total, page, pages } = await listGroups(await getDb(), f);
  const groupHref = (fp: string) => withParams(flat, { page: null, sort: null, view: 'list', fingerprint: fp });
  return (
    <>
      <Card>
        {rows.length === 0 ? (
          <div className="p-4"><EmptyState title="No groups match">Groups collect exceptions with the same tx type, error code and error text.</EmptyState></div>
        ) : (
          <Table caption="Exception groups">
            <thead>
              <tr>
                <Th>Group</Th>
                <Th align="right">Count</Th>
                <Th align="right">Open</Th>
                <Th>First seen</Th>
                <Th>Last seen</Th>
                <Th>Facilities</Th>
                <Th>Latest SKUs</Th>
              </tr>
            </thead>
            <tbody>
              {rows.map((g) => (
                <tr key={g.fingerprint} className="hover:bg-slate-50" data-testid="group-row">
                  <Td className="max-w-md">
                    <Link href={groupHref(g.fingerprint)} className="font-medium text-blue-700 hover:underline">{g.txType} · {g.errorCode ?? 'no code'}</Link>
                    {g.regressed ? <span className="ml-2"><Badge tone="bad">regressed</Badge></span> : null}
                    <span className="block truncate text-xs text-slate-500">{raw ? g.sample : maskErrorMessage(g.sample)}</span>
                  </Td>
                  <Td align="right">{g.count.toLocaleString('en-US')}</Td>
                  <Td align="right">{g.open.toLocaleString('en-US')}</Td>
                  <Td><Time iso={g.firstSeen} /></Td>
                  <Td><Time iso={g.lastSeen} /></Td>
                  <Td>{g.facilities.join(', ')}</Td>
                  <Td className="text-xs">{g.skus.join(', ')}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
      <Pagination page={page} pages={pages} total={total} params={flat} noun="groups" />
    </>
  );
}
