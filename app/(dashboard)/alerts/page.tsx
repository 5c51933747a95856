import { AlertsCard, AlertTabs } from '@/components/alerts/alert-cards';
import { CardSlot } from '@/components/ui/card-slot';
import { FacilityField, SelectField } from '@/components/ui/field';
import { FilterForm } from '@/components/ui/filter-form';
import { PageHeader } from '@/components/ui/page-header';
import { readDb } from '@/lib/http/read';
import { alertCounts, parseAlertFilters } from '@/lib/alerts/queries';
import { can } from '@/lib/auth/permissions';
import { requireCapability } from '@/lib/auth/session';
import { flatParams, type RawParams } from '@/lib/http/search-params';
import { facilities } from '@/lib/kpi/series';
import { acknowledgeAction } from './actions';

export const metadata = { title: 'Alerts' };

/** Firing, pending and recent alerts (SPEC 9); ops, it and admin acknowledge with a note. */
export default async function AlertsPage({ searchParams }: { searchParams: Promise<RawParams> }) {
  const user = await requireCapability('alerts.read');
  const flat = flatParams(await searchParams);
  const f = parseAlertFilters(flat);
  const db = await readDb();
  const [counts, facilityList] = await Promise.all([alertCounts(db), facilities(db)]);
  const canAct = can(user.role, 'alerts.act');
  return (
    <>
      <PageHeader
        title="Alerts"
        description="What fires now, what is about to, and what resolved in the last 7 days. Times in your time zone."
        actions={<AlertTabs flat={flat} view={f.view} counts={counts} />}
      />
      <div className="space-y-3">
        <FilterForm bar keep={{ view: f.view, ruleId: f.ruleId }} testId="alert-filters">
          <FacilityField id="alerts-facility" value={f.facility} facilities={facilityList} />
          <SelectField
            id="alerts-severity"
            label="Severity"
            name="severity"
            defaultValue={f.severity}
            options={['critical', 'warning', 'info']}
            empty="Any"
          />
        </FilterForm>
        {canAct ? null : (
          <p className="text-sm text-slate-500">Your role can read alerts; ops, IT and admins acknowledge them.</p>
        )}
        <CardSlot name="alerts" rows={6}>
          <AlertsCard f={f} flat={flat} acknowledge={canAct ? acknowledgeAction : null} />
        </CardSlot>
      </div>
    </>
  );
}
