import { AddUserForm, CreateKeyForm, ListForm, ReclassifyForm, ThresholdForm, UserControls } from '@/components/admin/forms';
import { RemoveButton } from '@/components/admin/remove-button';
import { RebuildButton } from '@/components/admin/rebuild-button';
import { Badge } from '@/components/ui/badge';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { getDb } from '@/db';
import { ROOT_CAUSES } from '@/db/schema';
import { ADMIN_TABLES, type AdminTable } from '@/lib/admin/tables';
import { formUnit, listThresholds, THRESHOLD_KPIS } from '@/lib/kpi/threshold-settings';
import { formatDuration, formatValue } from '@/lib/format';
import { listStepSlas } from '@/lib/admin/settings';
import { FLOW_STEPS } from '@/lib/detect/lifecycle';
import { facilities } from '@/lib/kpi/series';
import { requireCapability } from '@/lib/auth/session';
import {
  addRuleAction,
  addUserAction,
  reclassifyAction,
  createKeyAction,
  removeGlossaryAction,
  removeOwnershipAction,
  removeRuleAction,
  removeStepSlaAction,
  removeThresholdAction,
  revokeKeyAction,
  saveGlossaryAction,
  saveOwnershipAction,
  saveStepSlaAction,
  saveThresholdAction,
  updateUserAction,
} from './actions';

function ExportLink({ table }: { table: AdminTable }) {
  return (
    <a href={`/api/export/admin/${table}`} download className="shrink-0 rounded border border-slate-300 bg-white px-2 py-1 text-xs hover:bg-slate-50">
      Export CSV
    </a>
  );
}

export const metadata = { title: 'Admin' };

export default async function AdminPage() {
  await requireCapability('admin');
  const db = await getDb();
  const t = ADMIN_TABLES;
  const [users, keys, th, facilityList, slas, rules, owners, glossary, rebuilds] = await Promise.all([
    t.users.load(db),
    t['api-keys'].load(db),
    listThresholds(db),
    facilities(db),
    listStepSlas(db),
    t['root-cause-rules'].load(db),
    t.ownership.load(db),
    t.glossary.load(db),
    t['rollup-rebuilds'].load(db),
  ]);
  const active = rebuilds.find((r) => r.status === 'queued' || r.status === 'running');
  // The threshold form speaks the tiles' units (% for rates, seconds for durations).
  const inFormUnits = (v: number, factor: number) => String(Number((v / factor).toPrecision(12)));
  const current = Object.fromEntries(
    th.map((r) => {
      const { factor } = formUnit(r.format);
      return [`${r.kpi}|${r.facility}`, { amber: inFormUnits(r.amber, factor), red: inFormUnits(r.red, factor), worse: r.worse }];
    }),
  );
  const thresholdKpis = THRESHOLD_KPIS.map((k) => ({ key: k.key, label: k.label, unit: formUnit(k.format).unit }));
  return (
    <>
      <PageHeader title="Admin" description="Users and roles, API keys, thresholds, root-cause rules, ownership matrix, error-code glossary and rollups." />
      <div className="grid grid-cols-1 gap-4 2xl:grid-cols-2">
        <Card>
          <CardHeader title="API keys" description="For the middleware and reporting jobs. Only a hash is stored; a key is shown once." actions={<ExportLink table="api-keys" />} />
          <CardBody><CreateKeyForm action={createKeyAction} /></CardBody>
          {keys.length ? (
            <Table caption="API keys">
              <thead><tr><Th>Name</Th><Th>Prefix</Th><Th>Created</Th><Th>Last used</Th><Th>Status</Th><Th /></tr></thead>
              <tbody>
                {keys.map((k) => (
                  <tr key={k.id} data-testid="api-key-row">
                    <Td>{k.name}</Td>
                    <Td className="font-mono text-xs">{k.prefix}…</Td>
                    <Td><Time iso={k.createdAt.toISOString()} /></Td>
                    <Td><Time iso={k.lastUsedAt?.toISOString() ?? null} /></Td>
                    <Td>{k.revokedAt ? <Badge>revoked</Badge> : <Badge tone="ok">active</Badge>}</Td>
                    <Td>
                      {k.revokedAt ? null : (
                        <form action={revokeKeyAction}>
                          <input type="hidden" name="name" value={k.name} />
                          <button className="text-sm text-red-700 underline">Revoke</button>
                        </form>
                      )}
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          ) : (
            <CardBody><p className="text-sm text-slate-500">No API keys yet. Create one for each system that sends messages or reads KPIs.</p></CardBody>
          )}
        </Card>
        <Card>
          <CardHeader title="Users and roles" description="Passwords are hashed with bcrypt. With OIDC on, people are matched by email. A change of role, or switching an account off, holds at the person's next click. Switching an account off ends its sessions: switched on again, the person signs in anew." actions={<ExportLink table="users" />} />
          <CardBody><AddUserForm action={addUserAction} /></CardBody>
          <Table caption="Users">
            <thead><tr><Th>Email</Th><Th>Name</Th><Th>Status</Th><Th>Role</Th></tr></thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id} data-testid="user-row">
                  <Td>{u.email}</Td>
                  <Td>{u.name}</Td>
                  <Td>{u.disabled ? <Badge>switched off</Badge> : <Badge tone="ok">active</Badge>}</Td>
                  <Td><UserControls action={updateUserAction} user={u} /></Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Card>
        <Card>
          <CardHeader
            title="Thresholds"
            description="When a tile turns amber or red. The default applies to every facility without levels of its own; a KPI without a threshold stays neutral."
            actions={<ExportLink table="thresholds" />}
          />
          <CardBody><ThresholdForm action={saveThresholdAction} kpis={thresholdKpis} facilities={facilityList} current={current} /></CardBody>
          {th.length ? (
            <Table caption="Thresholds">
              <thead><tr><Th>KPI</Th><Th>Facility</Th><Th align="right">Amber at</Th><Th align="right">Red at</Th><Th>Worse when</Th><Th /></tr></thead>
              <tbody>
                {th.map((r) => (
                  <tr key={r.kpi + r.facility} data-testid="threshold-row">
                    <Td>{r.label}</Td>
                    <Td>{r.facility === '*' ? <span className="text-slate-500">every facility</span> : r.facility}</Td>
                    <Td align="right">{formatValue(r.amber, r.format)}</Td>
                    <Td align="right">{formatValue(r.red, r.format)}</Td>
                    <Td>{r.worse === 'up' ? 'higher' : 'lower'}</Td>
                    <Td>
                      <RemoveButton action={removeThresholdAction} values={{ kpi: r.kpi, facility: r.facility }} label={`Remove the threshold of ${r.label} for ${r.facility === '*' ? 'every facility' : r.facility}`} />
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          ) : (
            <CardBody><p className="text-sm text-slate-500">No thresholds: every tile stays neutral. Add one above.</p></CardBody>
          )}
        </Card>
        <Card>
          <CardHeader
            title="Step SLAs"
            description="How long each step of a document's flow may take from creation to delivery before the lifecycle check calls it late (daily review, exception timelines). One hour unless set here."
            actions={<ExportLink table="step-slas" />}
          />
          <CardBody>
            <ListForm
              name="sla"
              action={saveStepSlaAction}
              submit="Save SLA"
              fields={[
                { name: 'txType', label: 'Step', options: FLOW_STEPS },
                { name: 'minutes', label: 'Late after (minutes)', placeholder: '60', className: 'w-28' },
              ]}
            />
          </CardBody>
          <Table caption="Step SLAs">
            <thead><tr><Th>Step</Th><Th align="right">Late after</Th><Th /></tr></thead>
            <tbody>
              {slas.map((r) => (
                <tr key={r.txType} data-testid="sla-row">
                  <Td>{r.txType}</Td>
                  <Td align="right">{formatDuration(r.slaMs)}{r.own ? null : <span className="text-slate-500"> (default)</span>}</Td>
                  <Td>{r.own ? <RemoveButton action={removeStepSlaAction} values={{ txType: r.txType }} label={`Set ${r.txType} back to the default SLA`} /> : null}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Card>
        <Card>
          <CardHeader
            title="Root-cause rules"
            description="The first rule by priority whose patterns match (regular expressions, any case) classifies a new exception; people can override. A changed rule applies to the next exception opened, and to the open ones when you apply it below."
            actions={<ExportLink table="root-cause-rules" />}
          />
          <CardBody>
            <ListForm
              name="rule"
              action={addRuleAction}
              submit="Add rule"
              fields={[
                { name: 'priority', label: 'Priority', placeholder: '15', className: 'w-20' },
                { name: 'errorCodePattern', label: 'Error code pattern', placeholder: '^WMS_ITEM', className: 'font-mono' },
                { name: 'messagePattern', label: 'Message pattern', placeholder: 'unknown bin', className: 'font-mono' },
                { name: 'category', label: 'Category', options: ROOT_CAUSES.filter((c) => c !== 'unclassified') },
                { name: 'description', label: 'Description (optional)' },
              ]}
            />
            <div className="mt-3 border-t border-slate-100 pt-3">
              <ReclassifyForm action={reclassifyAction} />
              <p className="mt-1 text-xs text-slate-500">Open exceptions take the category the rules give them now; a category a person chose stays, and each change is in the exception&apos;s audit trail.</p>
            </div>
          </CardBody>
          {rules.length ? (
            <Table caption="Root-cause rules">
              <thead><tr><Th align="right">Priority</Th><Th>Error code pattern</Th><Th>Message pattern</Th><Th>Category</Th><Th /></tr></thead>
              <tbody>
                {rules.map((r) => (
                  <tr key={r.id} data-testid="rule-row" title={r.description ?? undefined}>
                    <Td align="right">{r.priority}</Td>
                    <Td className="font-mono text-xs">{r.errorCodePattern ?? '—'}</Td>
                    <Td className="font-mono text-xs">{r.messagePattern ?? '—'}</Td>
                    <Td>{r.category}</Td>
                    <Td><RemoveButton action={removeRuleAction} values={{ id: r.id }} label={`Remove the rule at priority ${r.priority} (${r.errorCodePattern ?? r.messagePattern})`} /></Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          ) : (
            <CardBody><p className="text-sm text-slate-500">No rules: every new exception is unclassified until someone sets its root cause.</p></CardBody>
          )}
        </Card>
        <Card>
          <CardHeader
            title="Ownership matrix"
            description="Which system owns each field; a change by the other system is a conflict, and a shared field both change differently within 24 h too. Saving an object and field that exist changes its owner."
            actions={<ExportLink table="ownership" />}
          />
          <CardBody>
            <ListForm
              name="ownership"
              action={saveOwnershipAction}
              submit="Save owner"
              fields={[
                { name: 'dataObject', label: 'Object', placeholder: 'item' },
                { name: 'field', label: 'Field', placeholder: 'base_uom' },
                { name: 'owner', label: 'Owner', options: [['erp', 'ERP'], ['wms', 'WMS'], ['shared', 'shared']] },
                { name: 'precedence', label: 'Precedence (optional)', placeholder: 'erp wins on conflict' },
              ]}
            />
          </CardBody>
          <Table caption="Ownership matrix">
            <thead><tr><Th>Object</Th><Th>Field</Th><Th>Owner</Th><Th>Precedence</Th><Th /></tr></thead>
            <tbody>
              {owners.map((o) => (
                <tr key={o.dataObject + o.field} data-testid="ownership-row">
                  <Td>{o.dataObject}</Td><Td>{o.field}</Td><Td>{o.owner}</Td><Td>{o.precedence ?? '—'}</Td>
                  <Td><RemoveButton action={removeOwnershipAction} values={{ dataObject: o.dataObject, field: o.field }} label={`Remove the owner of ${o.dataObject}.${o.field}`} /></Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Card>
        <Card>
          <CardHeader title="Error-code glossary" description="What an error code means and what to do, shown with the exceptions that carry it. Saving a code that exists changes its text." actions={<ExportLink table="glossary" />} />
          <CardBody>
            <ListForm
              name="glossary"
              action={saveGlossaryAction}
              submit="Save entry"
              fields={[
                { name: 'errorCode', label: 'Error code', placeholder: 'STATUS_MAP', className: 'font-mono' },
                { name: 'meaning', label: 'Meaning', className: 'w-64' },
                { name: 'action', label: 'What to do (optional)', className: 'w-64' },
              ]}
            />
          </CardBody>
          <Table caption="Error-code glossary">
            <thead><tr><Th>Code</Th><Th>Meaning</Th><Th>What to do</Th><Th /></tr></thead>
            <tbody>
              {glossary.map((g) => (
                <tr key={g.errorCode} data-testid="glossary-row">
                  <Td className="font-mono text-xs">{g.errorCode}</Td><Td>{g.meaning}</Td><Td>{g.action}</Td>
                  <Td><RemoveButton action={removeGlossaryAction} values={{ errorCode: g.errorCode }} label={`Remove ${g.errorCode} from the glossary`} /></Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Card>
        <Card className="2xl:col-span-2">
          <CardHeader
            title="Rollups"
            description="Every ingest keeps the hourly and daily counts, delay sketches, duplicate flags and exception counts current. A rebuild recomputes them from the raw log, one day at a time, while messages keep arriving, and counts what it had to fix."
            actions={<ExportLink table="rollup-rebuilds" />}
          />
          <CardBody><RebuildButton activeJobId={active?.id ?? null} /></CardBody>
          {rebuilds.length ? (
            <Table caption="Rollup rebuilds">
              <thead><tr><Th>Started</Th><Th>By</Th><Th>Status</Th><Th align="right">Days with messages</Th><Th align="right">Rows fixed</Th><Th align="right">Duplicate flags fixed</Th><Th>Finished</Th></tr></thead>
              <tbody>
                {rebuilds.map((r) => (
                  <tr key={r.id} data-testid="rebuild-row">
                    <Td><Time iso={r.startedAt ?? r.createdAt} /></Td>
                    <Td>{r.requestedBy ?? '—'}</Td>
                    <Td>
                      <Badge tone={r.status === 'succeeded' ? 'ok' : r.status === 'failed' ? 'bad' : 'info'}>{r.status}</Badge>
                      {r.error ? <div className="mt-1 max-w-xs text-xs text-red-700">{r.error}</div> : null}
                    </Td>
                    <Td align="right">{r.daysRebuilt === null ? '—' : r.status === 'succeeded' ? r.daysRebuilt : `${r.daysRebuilt} (${r.daysDone} of ${r.days} days)`}</Td>
                    <Td align="right">{r.rowsFixed ?? '—'}</Td>
                    <Td align="right">{r.duplicateFlagsFixed ?? '—'}</Td>
                    <Td><Time iso={r.finishedAt} /></Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          ) : (
            <CardBody><p className="text-sm text-slate-500">No rebuild has run yet.</p></CardBody>
          )}
        </Card>
      </div>
    </>
  );
}
