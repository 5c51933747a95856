import Link from 'next/link';
import { BulkActionBar } from '@/components/exceptions/bulk-action-bar';
import { ExceptionGroupsCard, ExceptionListCard } from '@/components/exceptions/queue-cards';
import { QueueFilterForm } from '@/components/exceptions/queue-filters';
import { CardSlot } from '@/components/ui/card-slot';
import { CsvLink } from '@/components/ui/csv-link';
import { PageHeader } from '@/components/ui/page-header';
import { can } from '@/lib/auth/permissions';
import { requireCapability } from '@/lib/auth/session';
import { exceptionOwners, parseQueueFilters } from '@/lib/exceptions/queries';
import { scopeFromParams } from '@/lib/filters';
import { flatParams, withParams, type RawParams } from '@/lib/http/search-params';
import { facilities } from '@/lib/kpi/series';
import { bulkAction } from './actions';
import { readDb } from '@/lib/http/read';

export const metadata = { title: 'Exceptions' };

const utcMinute = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');

export default async function ExceptionsPage({ searchParams }: { searchParams: Promise<RawParams> }) {
  const user = await requireCapability('exceptions.read');
  const flat = flatParams(await searchParams);
  const window = flat.range || (flat.from && flat.to) ? scopeFromParams(flat) : null;
  const f = parseQueueFilters(flat, window);
  const db = await readDb();
  const [facilityList, owners] = await Promise.all([facilities(db), exceptionOwners(db)]);
  const canAct = can(user.role, 'exceptions.act');
  // Raw error text is for IT and admins; others see it with identifiers masked.
  const raw = can(user.role, 'payloads.read');
  const keep = { range: flat.range, from: flat.from, to: flat.to, fingerprint: flat.fingerprint };
  const viewHref = (view: string) => withParams(flat, { view, page: null, sort: null });
  const tab = (view: 'list' | 'groups', label: string) => (
    <Link
      href={viewHref(view)}
      aria-current={f.view === view ? 'page' : undefined}
      className={`px-3 py-1.5 ${f.view === view ? 'bg-slate-800 text-white' : 'bg-white'}`}
    >
      {label}
    </Link>
  );

  return (
    <>
      <PageHeader
        title="Exception queue"
        description={
          window
            ? `Opened ${utcMinute(window.from)} → ${utcMinute(window.to)} UTC`
            : 'Every exception, whenever it was opened. Times in your time zone.'
        }
        actions={
          <div className="flex gap-2 text-sm">
            <nav aria-label="Queue view" className="flex overflow-hidden rounded-md border border-slate-300">
              {tab('list', 'By age')}
              {tab('groups', 'By group')}
            </nav>
            <CsvLink href={`/api/export/exceptions${withParams(flat, { page: null })}`} testId="export-csv" />
          </div>
        }
      />
      <div className="space-y-3">
        <QueueFilterForm f={f} facilities={facilityList} owners={owners} keep={keep} />
        {f.fingerprint ? (
          <p className="text-sm text-slate-600">
            Showing one group: <code className="rounded bg-slate-100 px-1">{f.fingerprint}</code>{' '}
            <Link className="text-blue-700 underline" href={withParams(flat, { fingerprint: null, page: null })}>
              show all
            </Link>
          </p>
        ) : null}
        {f.view === 'groups' ? (
          <CardSlot name="exception-groups" rows={8}>
            <ExceptionGroupsCard f={f} flat={flat} raw={raw} />
          </CardSlot>
        ) : (
          <>
            {canAct ? (
              <BulkActionBar action={bulkAction} owners={owners} />
            ) : (
              <p className="text-sm text-slate-500">Your role can read the queue; ops and IT act on it.</p>
            )}
            <CardSlot name="exceptions" rows={8}>
              <ExceptionListCard f={f} flat={flat} raw={raw} canAct={canAct} />
            </CardSlot>
          </>
        )}
      </div>
    </>
  );
}
