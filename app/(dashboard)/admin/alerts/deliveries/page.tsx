import { AlertAdminTabs, DeliveriesCard } from '@/components/alerts/admin-cards';
import { SelectField } from '@/components/ui/field';
import { FilterForm } from '@/components/ui/filter-form';
import { CardSlot } from '@/components/ui/card-slot';
import { PageHeader } from '@/components/ui/page-header';
import { readDb } from '@/lib/http/read';
import { ALERT_DELIVERY_STATUSES } from '@/db/schema';
import { parseDeliveryFilters } from '@/lib/alerts/queries';
import { listChannels } from '@/lib/alerts/config-lists';
import { requireCapability } from '@/lib/auth/session';
import { flatParams, type RawParams } from '@/lib/http/search-params';

export const metadata = { title: 'Alert deliveries' };

/** Every delivery with every attempt and error (SPEC 9: the admin sees every attempt). */
export default async function AlertDeliveriesPage({ searchParams }: { searchParams: Promise<RawParams> }) {
  await requireCapability('admin');
  const flat = flatParams(await searchParams);
  const f = parseDeliveryFilters(flat);
  const channels = await listChannels(await readDb());
  const filters = (
    <FilterForm testId="delivery-filters">
      <SelectField
        id="deliveries-status"
        label="Status"
        name="status"
        defaultValue={f.status}
        options={ALERT_DELIVERY_STATUSES}
        empty="Any"
      />
      <SelectField
        id="deliveries-channel"
        label="Channel"
        name="channelId"
        defaultValue={f.channelId}
        options={channels.map((c) => c.id)}
        empty="Any"
      />
    </FilterForm>
  );
  return (
    <>
      <PageHeader
        title="Alert deliveries"
        description="Retried with backoff (first retry within 15 s, doubling, at most 10 min apart) and given up after 24 h."
        actions={<AlertAdminTabs current="/admin/alerts/deliveries" />}
      />
      <CardSlot name="deliveries" rows={8}>
        <DeliveriesCard f={f} flat={flat} filters={filters} />
      </CardSlot>
    </>
  );
}
