import { Suspense } from 'react';
import { FindingCounts, FindingCountsSkeleton, FindingsCard } from '@/components/master-data/findings';
import { CardSlot } from '@/components/ui/card-slot';
import { CsvLink } from '@/components/ui/csv-link';
import { PageHeader } from '@/components/ui/page-header';
import { requireCapability } from '@/lib/auth/session';
import { flatParams, withParams, type RawParams } from '@/lib/http/search-params';
import { findingFilters } from '@/lib/master-data/queries';

export const metadata = { title: 'Master data' };

export default async function MasterDataPage({ searchParams }: { searchParams: Promise<RawParams> }) {
  await requireCapability('masterdata.read');
  const flat = flatParams(await searchParams);
  const f = findingFilters.parse(flat);
  return (
    <>
      <PageHeader
        title="Master data audit"
        description={
          'Item records of the ERP and the WMS compared field by field, recomputed whenever item masters arrive. The ' +
          'ERP owns item data: fix the WMS side unless the ERP is wrong.'
        }
        actions={
          <CsvLink href={`/api/export/findings${withParams(flat, { page: null })}`} label="Export findings CSV" />
        }
      />
      <div className="space-y-4">
        <Suspense fallback={<FindingCountsSkeleton />}>
          <FindingCounts kind={f.kind} />
        </Suspense>
        <CardSlot name="findings" rows={8}>
          <FindingsCard f={f} flat={flat} />
        </CardSlot>
      </div>
    </>
  );
}
