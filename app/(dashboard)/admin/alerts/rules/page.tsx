import { AlertAdminTabs, RulesListCard } from '@/components/alerts/admin-cards';
import { RuleForm, type FormValues } from '@/components/alerts/admin-forms';
import { RuleValueCard } from '@/components/alerts/chart-cards';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { CardSlot } from '@/components/ui/card-slot';
import { PageHeader } from '@/components/ui/page-header';
import { readDb } from '@/lib/http/read';
import { ALERT_RULE_KINDS } from '@/db/schema';
import { KPI_NAMES, ruleForm, ruleFromForm, ruleFromRow } from '@/lib/alerts/forms';
import { getRule, listChannels, type RuleRow } from '@/lib/alerts/config-lists';
import { formValues, zodFieldErrors } from '@/lib/http/action-state';
import { requireCapability } from '@/lib/auth/session';
import { flatParams, type RawParams } from '@/lib/http/search-params';
import { facilities } from '@/lib/kpi/series';
import { removeAlertItem, saveRule } from '../actions';

export const metadata = { title: 'Alert rules' };

const NEW_RULE: FormValues = {
  kind: 'kpi',
  op: '>',
  severity: 'warning',
  notifyResolved: true,
  enabled: true,
  channels: [],
};

function valuesOfRow(r: RuleRow): FormValues {
  const t = (v: string | number | null) => (v === null ? '' : String(v));
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    kpi: t(r.kpi),
    facility: t(r.facility),
    txType: t(r.txType),
    window: t(r.window),
    op: r.op,
    threshold: t(r.threshold),
    resolveThreshold: t(r.resolveThreshold),
    pendingFor: r.pendingFor,
    severity: r.severity,
    channels: r.channels,
    notifyResolved: r.notifyResolved,
    repeatEvery: t(r.repeatEvery),
    escalateAfter: t(r.escalateAfter),
    escalateTo: r.escalateTo,
    enabled: r.enabled,
  };
}

/** The address's fields of a previewed rule (the form's GET), lists as lists and boxes as ticked or not. */
function valuesOfQuery(raw: RawParams): FormValues {
  const out: FormValues = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'channels' || k === 'escalateTo') out[k] = [v ?? []].flat();
    else out[k] = Array.isArray(v) ? v[0] : v;
  }
  out.notifyResolved = out.notifyResolved === 'on';
  out.enabled = out.enabled === 'on';
  return out;
}

/**
 * Alert rules (SPEC 9): the list, and a form that adds or changes one, with its value over the last
 * 7 days and when it would have fired — of the saved rule (?rule=) or of the form's fields (Preview).
 */
export default async function AlertRulesPage({ searchParams }: { searchParams: Promise<RawParams> }) {
  await requireCapability('admin');
  const raw = await searchParams;
  const flat = flatParams(raw);
  const db = await readDb();
  const [channels, facilityList, saved] = await Promise.all([
    listChannels(db),
    facilities(db),
    flat.rule ? getRule(db, flat.rule) : Promise.resolve(null),
  ]);
  let values: FormValues = saved ? valuesOfRow(saved) : NEW_RULE;
  let preview: (Record<string, unknown> & { threshold: number }) | null = saved ? ruleFromRow(saved) : null;
  let previewErrors: Record<string, string> = {};
  if (flat.preview) {
    values = valuesOfQuery(raw);
    const form = new FormData();
    for (const [k, v] of Object.entries(raw)) for (const x of [v ?? []].flat()) form.append(k, x);
    const parsed = ruleForm.safeParse(formValues(form, ruleForm));
    if (parsed.success) preview = ruleFromForm(parsed.data) as Record<string, unknown> & { threshold: number };
    else {
      preview = null;
      previewErrors = zodFieldErrors(parsed.error);
    }
  }
  const editing = saved ? `Change rule ${saved.id}` : flat.preview ? 'Rule (preview, not saved)' : 'Add a rule';
  return (
    <>
      <PageHeader
        title="Alert rules"
        description="What is watched, when it fires, and who hears about it. Saving validates like `alerts apply`."
        actions={<AlertAdminTabs current="/admin/alerts/rules" />}
      />
      <div className="space-y-4">
        <Card testId="rule-editor">
          <CardHeader
            title={editing}
            description="Durations are written 30s, 5m, 1h, 7d. A rule with the id of a saved one replaces it."
          />
          <CardBody>
            <RuleForm
              key={JSON.stringify(values)}
              action={saveRule}
              values={values}
              kinds={ALERT_RULE_KINDS}
              kpis={KPI_NAMES}
              facilities={facilityList}
              channels={channels.map((c) => c.id)}
              previewErrors={previewErrors}
            />
          </CardBody>
        </Card>
        {preview ? (
          <CardSlot name="rule-preview" rows={6}>
            <RuleValueCard title="Preview: the last 7 days" rule={preview} hours={7 * 24} testId="rule-preview" />
          </CardSlot>
        ) : flat.preview ? (
          <p className="text-sm text-red-700" data-testid="rule-preview-refused">
            No preview: check the highlighted fields.
          </p>
        ) : null}
        <CardSlot name="rules" rows={6}>
          <RulesListCard remove={removeAlertItem} />
        </CardSlot>
      </div>
    </>
  );
}
