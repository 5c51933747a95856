/** People and their roles: added with a first password, then a role changed or the account switched off or on. */
import 'server-only';
import { z } from 'zod';
import { ROLES } from '@/db/schema';
import { defineList } from '@/lib/admin/list';
import { addUser, listUsers } from '@/lib/auth/users';

export const usersList = defineList({
  name: 'users',
  title: 'Users and roles',
  description:
    'Passwords are hashed with bcrypt. With OIDC on, people are matched by email. A change of role, or switching ' +
    "an account off, holds at the person's next click. Switching an account off ends its sessions: switched on " +
    'again, the person signs in anew.',
  caption: 'Users',
  rowTestId: 'user-row',
  capability: 'admin',
  load: listUsers,
  rowKey: (u) => u.id,
  columns: [
    { key: 'email', header: 'Email', cell: (u) => u.email },
    { key: 'name', header: 'Name', cell: (u) => u.name },
    {
      key: 'status',
      header: 'Status',
      cell: (u) => (u.disabled ? { badge: 'switched off' } : { badge: 'active', tone: 'ok' }),
    },
    { key: 'role', header: 'Role', cell: (u) => u.role },
  ],
  fields: ['id', 'email', 'name', 'role', 'disabled', 'createdAt'],
  csvFile: 'users.csv',
  write: {
    input: z.object({
      email: z.string({ message: 'Required' }).trim().min(1, 'Required'),
      role: z.enum(ROLES, { message: 'Choose a role' }),
      password: z.string({ message: 'At least 8 characters' }).min(8, 'At least 8 characters'),
      name: z.string().trim().optional(),
    }),
    notSaved: 'The user was not added.',
    save: async (db, input) => ({ created: true, row: await addUser(db, input) }),
    said: (_, { row }) => `Added ${row.email} as ${row.role}.`,
    form: {
      name: 'user',
      submit: 'Add user',
      fields: [
        { name: 'email', label: 'Email', type: 'email' },
        { name: 'name', label: 'Name (optional)' },
        { name: 'role', label: 'Role', options: ROLES },
        { name: 'password', label: 'Initial password', type: 'password' },
      ],
    },
  },
});

/** A change from a user row's controls: the button pressed says which (a new role unless disable or enable). */
export const userChange = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
  intent: z.enum(['role', 'disable', 'enable']).catch('role'),
  role: z.string().catch(''),
});

export function userChangeOf(c: z.infer<typeof userChange>): { role?: string; disabled?: boolean } {
  return c.intent === 'role' ? { role: c.role } : { disabled: c.intent === 'disable' };
}

export function userChangeSaid(
  u: { email: string; role: string; disabled: boolean },
  change: { disabled?: boolean },
): string {
  if (change.disabled === undefined) return `${u.email} is now ${u.role}.`;
  return `${u.email} is ${u.disabled ? 'switched off; their sessions have ended' : 'enabled; they sign in anew'}.`;
}
