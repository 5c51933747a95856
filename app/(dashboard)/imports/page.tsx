import { ImportForm } from '@/components/imports/import-form';
import { ImportHistoryCard } from '@/components/imports/import-history';
import { ProfileEditor, type ProfileChoice } from '@/components/imports/profile-editor';
import { SavedProfilesCard } from '@/components/imports/saved-profiles';
import { Card, CardHeader } from '@/components/ui/card';
import { CardSlot } from '@/components/ui/card-slot';
import { PageHeader } from '@/components/ui/page-header';
import { requireCapability } from '@/lib/auth/session';
import { flatParams, type RawParams } from '@/lib/http/search-params';
import { listProfiles } from '@/lib/imports/profile-store';
import { shippedProfiles } from '@/lib/imports/shipped';
import { facilities } from '@/lib/kpi/series';
import { pageNumber } from '@/lib/validation';
import { readDb } from '@/lib/http/read';

export const metadata = { title: 'Imports' };

export default async function ImportsPage({ searchParams }: { searchParams: Promise<RawParams> }) {
  await requireCapability('imports.run');
  const flat = flatParams(await searchParams);
  const db = await readDb();
  const [facilityList, saved] = await Promise.all([facilities(db), listProfiles(db)]);
  const profiles = saved.map((p) => p.name);
  const choices: ProfileChoice[] = [
    ...saved.map((p) => ({
      key: `saved:${p.name}`,
      label: `Saved: ${p.name}`,
      json: JSON.stringify(p.profile, null, 2),
      sampleName: null,
      sample: null,
    })),
    ...shippedProfiles().map((p) => ({ ...p, key: `ready:${p.name}`, label: `Ready-made: ${p.name}` })),
  ];
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
        <Card testId="profile-card">
          <CardHeader
            title="Mapping profiles"
            description={
              'How a file of any other system becomes messages: a dotted path, a value map, a constant or a hash for each ' +
              'field. Start from a ready-made profile, try it on a sample as you type, save it by name.'
            }
          />
          <div className="p-4">
            <ProfileEditor choices={choices} />
          </div>
        </Card>
        <SavedProfilesCard profiles={saved} />
        <CardSlot name="import-history" rows={6}>
          <ImportHistoryCard page={pageNumber.parse(flat.page)} flat={flat} />
        </CardSlot>
      </div>
    </>
  );
}
