import { ImportForm } from '@/components/imports/import-form';
import { ImportHistoryCard } from '@/components/imports/import-history';
import { Card, CardHeader } from '@/components/ui/card';
import { CardSlot } from '@/components/ui/card-slot';
import { PageHeader } from '@/components/ui/page-header';
import { getDb } from '@/db';
import { requireCapability } from '@/lib/auth/session';
import { flatParams, type RawParams } from '@/lib/http/search-params';
import { profileNames } from '@/lib/imports/history';
import { facilities } from '@/lib/kpi/series';
import { pageNumber } from '@/lib/validation';

export const metadata = { title: 'Imports' };

export default async function ImportsPage({ searchParams }: { searchParams: Promise<RawParams> }) {
  await requireCapability('imports.run');
  const flat = flatParams(await searchParams);
  const db = await getDb();
  const [facilityList, profiles] = await Promise.all([facilities(db), profileNames(db)]);
  return (
    <>
      <PageHeader
        title="Imports"
        description={
          'Bring the integration log of a system that cannot call the API: SAP IDoc status tables, Odoo queue_job, ' +
          'Celigo errors, or any CSV or JSON through a mapping profile. Preview first: nothing is stored until you import.'
        }
      />
      <div className="space-y-3">
        <Card testId="import-card">
          <CardHeader
            title="Import files"
            description="The same import as POST /api/v1/imports/:format and npm run cli -- import."
          />
          <div className="p-4">
            <ImportForm facilities={facilityList} profiles={profiles} />
          </div>
        </Card>
        <CardSlot name="import-history" rows={6}>
          <ImportHistoryCard page={pageNumber.parse(flat.page)} flat={flat} />
        </CardSlot>
      </div>
    </>
  );
}
