import { RetentionPreviewCard, RetentionSettingsCard } from '@/components/admin/retention-cards';
import { PageHeader } from '@/components/ui/page-header';
import { requireCapability } from '@/lib/auth/session';
import { runRetentionAction, saveRetentionAction } from './actions';

export const metadata = { title: 'Retention' };

/** SPEC 11: how long each kind of data is kept, what a run would drop now, and a run on demand. */
export default async function RetentionPage() {
  await requireCapability('admin');
  return (
    <>
      <PageHeader
        title="Retention"
        description={
          'How long raw data is kept, in days (blank keeps it forever). Raw rows go by dropping whole time ' +
          'partitions, never row by row; rollups keep the KPIs of the past, and an open exception keeps its message. ' +
          'A run happens daily inside the server.'
        }
      />
      <div className="grid grid-cols-1 gap-4">
        <RetentionSettingsCard save={saveRetentionAction} />
        <RetentionPreviewCard run={runRetentionAction} />
      </div>
    </>
  );
}
