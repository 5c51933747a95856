import Link from 'next/link';
import { AdminListCard } from '@/components/admin/admin-list';
import { RollupsCard, RulesCard, ThresholdsCard, UsersCard } from '@/components/admin/list-cards';
import { PageHeader } from '@/components/ui/page-header';
import { ADMIN_LISTS, type AdminListName } from '@/lib/admin/lists';
import { requireCapability } from '@/lib/auth/session';
import { reclassifyAction, removeListRow, saveListRow, updateUserAction } from './actions';

export const metadata = { title: 'Admin' };

/** A list's save and remove actions, bound to its name. */
const actionsOf = (list: AdminListName) => ({
  save: saveListRow.bind(null, list),
  remove: removeListRow.bind(null, list),
});

/** Every card loads its own list behind its own Suspense (components/admin/admin-list.tsx). */
export default async function AdminPage() {
  await requireCapability('admin');
  return (
    <>
      <PageHeader
        title="Admin"
        description={
          'Users and roles, API keys, thresholds, SKU matching, root-cause rules, ownership matrix, error-code glossary ' +
          'rollups, and the sites that may frame the wall screen.'
        }
        actions={
          <div className="flex gap-2">
            <Link
              href="/admin/alerts/rules"
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm"
            >
              Alerts: rules, channels, silences, deliveries →
            </Link>
            <Link href="/admin/retention" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm">
              Retention →
            </Link>
          </div>
        }
      />
      <div className="grid grid-cols-1 gap-4 2xl:grid-cols-2">
        <AdminListCard def={ADMIN_LISTS['api-keys']} {...actionsOf('api-keys')} />
        <UsersCard save={actionsOf('users').save} changeUser={updateUserAction} />
        <ThresholdsCard {...actionsOf('thresholds')} />
        <AdminListCard def={ADMIN_LISTS['step-slas']} {...actionsOf('step-slas')} />
        <AdminListCard def={ADMIN_LISTS['sku-matching']} {...actionsOf('sku-matching')} />
        <RulesCard {...actionsOf('root-cause-rules')} reclassify={reclassifyAction} />
        <AdminListCard def={ADMIN_LISTS.ownership} {...actionsOf('ownership')} />
        <AdminListCard def={ADMIN_LISTS.glossary} {...actionsOf('glossary')} />
        <AdminListCard def={ADMIN_LISTS['wall-framing']} {...actionsOf('wall-framing')} />
        <div className="min-w-0 2xl:col-span-2">
          <RollupsCard />
        </div>
      </div>
    </>
  );
}
