import { ByKindCard, BySourceCard, TopSkusCard } from '@/components/recon/summary-cards';
import { DifferencesCard, SkuMessagesCard } from '@/components/recon/differences-card';
import { RecentSnapshotsCard, RunHistoryCard, RunsByFacilityCard } from '@/components/recon/runs-card';
import { SnapshotUpload } from '@/components/recon/snapshot-upload';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { CardSlot } from '@/components/ui/card-slot';
import { FacilityField } from '@/components/ui/field';
import { FilterForm } from '@/components/ui/filter-form';
import { CsvLink } from '@/components/ui/csv-link';
import { PageHeader } from '@/components/ui/page-header';
import { can } from '@/lib/auth/permissions';
import { requireCapability } from '@/lib/auth/session';
import { flatParams, withParams, type RawParams } from '@/lib/http/search-params';
import { differenceFilters, snapshotFacilities } from '@/lib/recon/queries';
import { readDb } from '@/lib/http/read';

export const metadata = { title: 'Reconciliation' };

/**
 * The page reads the user, the filters and the facilities (cheap), then streams each card behind
 * its own skeleton: the differences of a large run never hold the runs table.
 */
export default async function ReconciliationPage({ searchParams }: { searchParams: Promise<RawParams> }) {
  const user = await requireCapability('reconciliation.read');
  const money = can(user.role, 'money.read');
  const canRun = can(user.role, 'reconciliation.run');
  const flat = flatParams(await searchParams);
  const f = differenceFilters.parse(flat);
  const facilities = await snapshotFacilities(await readDb());
  const facility = f.facility ?? null;
  const cards = { f, flat, money };

  return (
    <>
      <PageHeader
        title="Reconciliation"
        description={
          'Which system is right about stock: the latest ERP and WMS snapshots of each facility compared position by ' +
          'position, in base units of the ERP item master.'
        }
        actions={
          <CsvLink href={`/api/export/differences${withParams(flat, { page: null })}`} label="Export differences CSV" />
        }
      />
      <div className="space-y-4">
        <FilterForm
          bar
          submit="Apply"
          after={
            <p className="ml-auto text-xs text-slate-500">
              Differences come from the latest succeeded run of each facility, whatever the time range.
            </p>
          }
        >
          <FacilityField id="rc-facility" value={f.facility} facilities={facilities} />
        </FilterForm>

        <CardSlot name="runs-by-facility" rows={3}>
          <RunsByFacilityCard facility={facility} facilities={facilities} canRun={canRun} />
        </CardSlot>

        {canRun ? (
          <Card>
            <CardHeader
              title="Upload a snapshot (CSV)"
              description={
                'One file per system and facility: columns for SKU and quantity (location, lot and UOM optional: rows ' +
                "without a UOM take the default UOM, else the ERP item's base UOM). Other columns are ignored. " +
                'Every row is checked; a file with any bad row stores nothing.'
              }
            />
            <CardBody>
              <SnapshotUpload facilities={facilities} defaultFacility={facility} />
            </CardBody>
          </Card>
        ) : null}

        <div className="grid gap-4 lg:grid-cols-3">
          <CardSlot name="by-kind">
            <ByKindCard {...cards} />
          </CardSlot>
          <CardSlot name="by-source">
            <BySourceCard {...cards} />
          </CardSlot>
          <CardSlot name="top-skus">
            <TopSkusCard {...cards} />
          </CardSlot>
        </div>

        <CardSlot name="differences" rows={8}>
          <DifferencesCard {...cards} />
        </CardSlot>

        {f.sku ? (
          <CardSlot name="sku-messages">
            <SkuMessagesCard f={f} money={money} sku={f.sku} />
          </CardSlot>
        ) : null}

        <div className="grid gap-4 lg:grid-cols-2">
          <CardSlot name="run-history">
            <RunHistoryCard facility={facility} />
          </CardSlot>
          <CardSlot name="recent-snapshots">
            <RecentSnapshotsCard facility={facility} />
          </CardSlot>
        </div>
      </div>
    </>
  );
}
