import Link from 'next/link';
import { ScopeBar } from '@/components/filters/scope-bar';
import { TileGrid } from '@/components/overview/tile-grid';
import { TrendCard } from '@/components/overview/trends';
import { CardSlot } from '@/components/ui/card-slot';
import { PageHeader } from '@/components/ui/page-header';
import { can } from '@/lib/auth/permissions';
import { requireCapability } from '@/lib/auth/session';
import { scopeFromParams, scopeQuery } from '@/lib/filters';
import { flatParams, type RawParams } from '@/lib/http/search-params';
import { facilities } from '@/lib/kpi/series';
import { readDb } from '@/lib/http/read';

export const metadata = { title: 'Overview' };

const FOCUS = {
  ops: {
    text: 'Start the morning meeting with the daily review: what is open and how old, what failed yesterday, what did not reach the other system.',
    href: '/review/daily',
    cta: 'Open the daily review',
  },
  finance: {
    text: 'Value at risk comes from the latest reconciliation of each facility; corrections keyed in both systems inflate stock moves.',
    href: '/reconciliation?sort=value',
    cta: 'Open reconciliation',
  },
  it: {
    text: 'Failures by interface and error are grouped in the queue.',
    href: '/exceptions?view=groups&state=open',
    cta: 'Failures by group',
  },
  manager: {
    text: 'Put the wall tiles on a screen; they refresh themselves every 30 seconds.',
    href: '/tiles',
    cta: 'Open wall tiles',
  },
  admin: { text: 'Users, API keys and thresholds live on the admin page.', href: '/admin', cta: 'Open admin' },
} as const;

export default async function OverviewPage({ searchParams }: { searchParams: Promise<RawParams> }) {
  const user = await requireCapability('overview.read');
  const scope = scopeFromParams(flatParams(await searchParams));
  const facilityList = await facilities(await readDb());
  const focus = FOCUS[user.role];
  return (
    <>
      <PageHeader title="Overview" description="KPI tiles against thresholds, and trends by transaction type." />
      <div className="mb-4">
        <ScopeBar scope={scope} facilities={facilityList} />
      </div>
      <div className="mb-4 flex items-center justify-between gap-4 rounded-md bg-blue-50 px-4 py-2 text-sm text-blue-900">
        <span>{focus.text}</span>
        <Link
          className="font-semibold underline"
          href={
            focus.href.includes('?') && can(user.role, 'exceptions.read')
              ? `${focus.href}&${scopeQuery(scope)}`
              : focus.href
          }
        >
          {focus.cta}
        </Link>
      </div>
      <TileGrid scope={scope} role={user.role} />
      <div className="mt-6 grid grid-cols-1 gap-4 xl:grid-cols-2">
        <CardSlot name="failure-trend" rows={10}>
          <TrendCard scope={scope} metric="fail" />
        </CardSlot>
        <CardSlot name="delay-trend" rows={10}>
          <TrendCard scope={scope} metric="delay" />
        </CardSlot>
      </div>
    </>
  );
}
