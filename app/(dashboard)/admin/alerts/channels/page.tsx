import { AlertAdminTabs, ChannelsListCard } from '@/components/alerts/admin-cards';
import { ChannelForm, type FormValues } from '@/components/alerts/admin-forms';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { CardSlot } from '@/components/ui/card-slot';
import { PageHeader } from '@/components/ui/page-header';
import { readDb } from '@/lib/http/read';
import { listChannels } from '@/lib/alerts/config-lists';
import { requireCapability } from '@/lib/auth/session';
import { flatParams, type RawParams } from '@/lib/http/search-params';
import { removeAlertItem, saveChannel, sendTest } from '../actions';

export const metadata = { title: 'Alert channels' };

/** Alert channels (SPEC 9): the list with "send test", and a form that adds or changes one (secrets kept when blank). */
export default async function AlertChannelsPage({ searchParams }: { searchParams: Promise<RawParams> }) {
  await requireCapability('admin');
  const flat = flatParams(await searchParams);
  const saved = flat.channel ? (await listChannels(await readDb())).find((c) => c.id === flat.channel) : undefined;
  // A saved channel's secrets come masked; the form shows them blank ("kept when blank").
  const values: FormValues = saved
    ? {
        id: saved.id,
        type: saved.type,
        enabled: saved.enabled,
        to: Array.isArray(saved.config.to) ? saved.config.to.join(', ') : '',
        url: saved.type === 'webhook' || saved.type === 'pagerduty' ? String(saved.config.url ?? '') : '',
      }
    : { type: 'webhook', enabled: true };
  return (
    <>
      <PageHeader
        title="Alert channels"
        description="Where notifications go: email, signed webhooks, Slack, Teams and PagerDuty."
        actions={<AlertAdminTabs current="/admin/alerts/channels" />}
      />
      <div className="space-y-4">
        <Card testId="channel-editor">
          <CardHeader title={saved ? `Change channel ${saved.id}` : 'Add a channel'} />
          <CardBody>
            <ChannelForm key={JSON.stringify(values)} action={saveChannel} values={values} />
          </CardBody>
        </Card>
        <CardSlot name="channels" rows={4}>
          <ChannelsListCard remove={removeAlertItem} sendTest={sendTest} />
        </CardSlot>
      </div>
    </>
  );
}
