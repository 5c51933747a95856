import { AlertAdminTabs, SilencesListCard } from '@/components/alerts/admin-cards';
import { SilenceForm } from '@/components/alerts/admin-forms';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { CardSlot } from '@/components/ui/card-slot';
import { PageHeader } from '@/components/ui/page-header';
import { readDb } from '@/lib/http/read';
import { listRules } from '@/lib/alerts/config-lists';
import { requireCapability } from '@/lib/auth/session';
import { facilities } from '@/lib/kpi/series';
import { removeAlertItem, saveSilence } from '../actions';

export const metadata = { title: 'Alert silences' };

/** Silences (SPEC 9): hold notifications back for matching alerts until an end time; state goes on. */
export default async function AlertSilencesPage() {
  await requireCapability('admin');
  const db = await readDb();
  const [rules, facilityList] = await Promise.all([listRules(db), facilities(db)]);
  return (
    <>
      <PageHeader
        title="Alert silences"
        description="A silence suppresses notifications, not state: an alert still firing when it ends notifies then."
        actions={<AlertAdminTabs current="/admin/alerts/silences" />}
      />
      <div className="space-y-4">
        <Card testId="silence-editor">
          <CardHeader title="Add a silence" description="Times in UTC. Give an end time, or a duration such as 2h." />
          <CardBody>
            <SilenceForm action={saveSilence} rules={rules.map((r) => r.id)} facilities={facilityList} />
          </CardBody>
        </Card>
        <CardSlot name="silences" rows={4}>
          <SilencesListCard remove={removeAlertItem} />
        </CardSlot>
      </div>
    </>
  );
}
