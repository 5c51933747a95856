/**
 * The admin lists with a part of their own: people's controls, thresholds' units, rules applied
 * now, the rebuild job.
 */
import { AdminListCard } from '@/components/admin/admin-list';
import { RebuildButton } from '@/components/admin/rebuild-button';
import { ReclassifyForm } from '@/components/admin/reclassify-form';
import { ThresholdForm } from '@/components/admin/threshold-form';
import { UserControls } from '@/components/admin/user-controls';
import { ROLES } from '@/db/schema';
import { isActiveRebuild, rollupRebuildsList } from '@/lib/admin/lists/rollup-rebuilds';
import { rootCauseRulesList } from '@/lib/admin/lists/root-cause-rules';
import { thresholdsList } from '@/lib/admin/lists/thresholds';
import { usersList } from '@/lib/admin/lists/users';
import type { FormAction } from '@/lib/http/action-state';
import { facilities } from '@/lib/kpi/series';
import { formLevels, thresholdChoices } from '@/lib/kpi/threshold-settings';
import { readDb } from '@/lib/http/read';

interface ListActions {
  save: FormAction;
  remove: FormAction;
}

export function UsersCard({ save, changeUser }: { save: FormAction; changeUser: FormAction }) {
  return (
    <AdminListCard
      def={usersList}
      save={save}
      cells={{ role: (u) => <UserControls action={changeUser} user={u} roles={ROLES} /> }}
    />
  );
}

export function ThresholdsCard({ save, remove }: ListActions) {
  const form = async (rows: Awaited<ReturnType<typeof thresholdsList.load>>) => (
    <ThresholdForm
      action={save}
      kpis={thresholdChoices()}
      facilities={await facilities(await readDb())}
      current={formLevels(rows)}
    />
  );
  return <AdminListCard def={thresholdsList} remove={remove} form={form} />;
}

export function RulesCard({ save, remove, reclassify }: ListActions & { reclassify: FormAction }) {
  return (
    <AdminListCard def={rootCauseRulesList} save={save} remove={remove}>
      <div className="mt-3 border-t border-slate-100 pt-3">
        <ReclassifyForm action={reclassify} />
        <p className="mt-1 text-xs text-slate-500">
          Open exceptions take the category the rules give them now; a category a person chose stays, and each change is
          in the exception&apos;s audit trail.
        </p>
      </div>
    </AdminListCard>
  );
}

export function RollupsCard() {
  return (
    <AdminListCard
      def={rollupRebuildsList}
      form={(rows) => <RebuildButton activeJobId={rows.find(isActiveRebuild)?.id ?? null} />}
    />
  );
}
