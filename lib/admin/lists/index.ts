/** Every admin list by the name its addresses use: /admin, /api/admin/<name>, /api/export/admin/<name>. */
import 'server-only';
import type { AnyAdminList } from '@/lib/admin/list';
import { apiKeysList } from '@/lib/admin/lists/api-keys';
import { glossaryList } from '@/lib/admin/lists/glossary';
import { ownershipList } from '@/lib/admin/lists/ownership';
import { rollupRebuildsList } from '@/lib/admin/lists/rollup-rebuilds';
import { rootCauseRulesList } from '@/lib/admin/lists/root-cause-rules';
import { skuMatchingList } from '@/lib/admin/lists/sku-matching';
import { stepSlasList } from '@/lib/admin/lists/step-slas';
import { thresholdsList } from '@/lib/admin/lists/thresholds';
import { usersList } from '@/lib/admin/lists/users';
import { wallFramingList } from '@/lib/admin/lists/wall-framing';

export const ADMIN_LISTS = {
  users: usersList,
  'api-keys': apiKeysList,
  thresholds: thresholdsList,
  'root-cause-rules': rootCauseRulesList,
  ownership: ownershipList,
  glossary: glossaryList,
  'step-slas': stepSlasList,
  'sku-matching': skuMatchingList,
  'rollup-rebuilds': rollupRebuildsList,
  'wall-framing': wallFramingList,
} as const;

export type AdminListName = keyof typeof ADMIN_LISTS;

export const isAdminList = (name: string): name is AdminListName => Object.hasOwn(ADMIN_LISTS, name);

/** A list as the generic route, actions and export take it; undefined for a name that is none. */
export function adminList(name: string): AnyAdminList | undefined {
  return isAdminList(name) ? (ADMIN_LISTS[name] as AnyAdminList) : undefined;
}
