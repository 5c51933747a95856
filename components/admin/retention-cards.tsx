import { RetentionForm, RunRetentionButton } from '@/components/admin/retention-form';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { Table, Td } from '@/components/ui/table';
import { formatBytes } from '@/lib/format';
import { getDb } from '@/db';
import type { FormAction } from '@/lib/http/action-state';
import { planRetention } from '@/lib/retention/plan';
import { lastRun } from '@/lib/retention/schedule';
import { DEFAULT_SETTINGS, readSettings, SETTING_KEYS, SETTING_LABELS } from '@/lib/retention/settings';

const mb = formatBytes;
const n = (x: number) => x.toLocaleString('en-US');

/** The days per kind, as a form (defaults named beside each field). */
export async function RetentionSettingsCard({ save }: { save: FormAction }) {
  const settings = await readSettings(await getDb());
  const fields = SETTING_KEYS.map((k) => ({
    key: k,
    label: SETTING_LABELS[k],
    value: settings[k] === null ? '' : String(settings[k]),
    hint: DEFAULT_SETTINGS[k] === null ? 'default: forever' : `default: ${n(DEFAULT_SETTINGS[k] as number)} days`,
  }));
  return (
    <Card testId="retention-settings">
      <CardHeader title="Days kept" description="A whole number of days; blank keeps that kind forever." />
      <CardBody>
        <RetentionForm action={save} fields={fields} />
      </CardBody>
    </Card>
  );
}

/** What a run would drop now, per kind and partition, and the last run. */
export async function RetentionPreviewCard({ run }: { run: FormAction }) {
  const db = await getDb();
  const [plan, last] = await Promise.all([planRetention(db), lastRun(db)]);
  const kinds = Object.entries(plan);
  return (
    <Card testId="retention-preview">
      <CardHeader
        title="What a run would drop now"
        description={
          last
            ? `Last run: ${last.at} by ${last.by}${last.failed ? ' (failed)' : last.seconds !== undefined ? `, ${last.seconds.toFixed(2)} s` : ' (running)'}`
            : 'No run yet.'
        }
        actions={<RunRetentionButton action={run} />}
      />
      <CardBody>
        <Table
          caption="Retention preview"
          columns={['Kind', 'Kept', 'Cutoff', ['Partitions', 'right'], ['Rows', 'right'], ['Size', 'right'], 'Notes']}
        >
          <tbody>
            {kinds.map(([kind, p]) => (
              <tr key={kind} data-testid={`retention-${kind}`} className="border-t border-slate-100 align-top">
                <Td>{SETTING_LABELS[kind as keyof typeof SETTING_LABELS]}</Td>
                <Td>{p.days === null ? 'forever' : `${n(p.days)} days`}</Td>
                <Td>{p.cutoff ? p.cutoff.slice(0, 16).replace('T', ' ') + ' UTC' : '—'}</Td>
                <Td align="right">{n(p.partitions.length)}</Td>
                <Td align="right">{n(p.rows)}</Td>
                <Td align="right">{mb(p.bytes)}</Td>
                <Td>
                  {p.tables
                    .filter((t) => !t.partitioned)
                    .map((t) => (
                      <div key={t.table}>{t.table}: not partitioned yet, skipped (never deleted row by row)</div>
                    ))}
                  {p.held.map((x) => (
                    <div key={x.partition}>
                      {x.partition}: kept, {x.reason}
                    </div>
                  ))}
                  {p.partitions.length ? (
                    <details>
                      <summary className="cursor-pointer">Partitions</summary>
                      <ul className="mt-1 font-mono text-xs">
                        {p.partitions.map((x) => (
                          <li key={x.partition}>
                            {x.partition}: {n(x.rows)}
                            {x.estimated ? ' (est.)' : ''} rows, {mb(x.bytes)}
                          </li>
                        ))}
                      </ul>
                    </details>
                  ) : null}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </CardBody>
    </Card>
  );
}
