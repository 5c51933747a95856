import {
  AllCorrectionsCard,
  CorrectionTrendCard,
  DuplicatePairsCard,
  ReasonsCard,
} from '@/components/corrections/corrections-cards';
import { ScopeBar } from '@/components/filters/scope-bar';
import { CardSlot } from '@/components/ui/card-slot';
import { CsvLink } from '@/components/ui/csv-link';
import { PageHeader } from '@/components/ui/page-header';
import { requireCapability } from '@/lib/auth/session';
import { correctionFilters } from '@/lib/corrections/queries';
import { scopeFromParams } from '@/lib/filters';
import { flatParams, withParams, type RawParams } from '@/lib/http/search-params';
import { facilities } from '@/lib/kpi/series';
import { readDb } from '@/lib/http/read';

export const metadata = { title: 'Manual corrections' };

export default async function CorrectionsPage({ searchParams }: { searchParams: Promise<RawParams> }) {
  await requireCapability('corrections.read');
  const flat = flatParams(await searchParams);
  const scope = scopeFromParams(flat);
  const f = correctionFilters.parse(flat);
  const facilityList = await facilities(await readDb());
  const cards = { f, scope, flat };
  return (
    <>
      <PageHeader
        title="Manual corrections"
        description={
          'Stock corrections people keyed by hand in either system, over time and by reason, and the ones keyed in ' +
          'both systems for the same change (counted twice).'
        }
        actions={
          <CsvLink
            href={`/api/export/corrections${withParams(flat, { page: null, dpage: null })}`}
            label="Export corrections CSV"
          />
        }
      />
      <div className="space-y-4">
        <ScopeBar scope={scope} facilities={facilityList} extra={{ system: f.system, reason: f.reason, sku: f.sku }} />
        <div className="grid gap-4 xl:grid-cols-3">
          <CardSlot name="correction-trend" rows={8} className="xl:col-span-2">
            <div className="xl:col-span-2">
              <CorrectionTrendCard {...cards} />
            </div>
          </CardSlot>
          <CardSlot name="reasons">
            <ReasonsCard {...cards} />
          </CardSlot>
        </div>
        <CardSlot name="duplicate-pairs">
          <DuplicatePairsCard {...cards} />
        </CardSlot>
        <CardSlot name="corrections" rows={8}>
          <AllCorrectionsCard {...cards} />
        </CardSlot>
      </div>
    </>
  );
}
