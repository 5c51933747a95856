/** The admin lists under the names the CSV export and its tests have used (lib/admin/lists is their home). */
export {
  ADMIN_LISTS as ADMIN_TABLES,
  isAdminList as isAdminTable,
  type AdminListName as AdminTable,
} from '@/lib/admin/lists';
