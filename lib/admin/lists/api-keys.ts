/** API keys for the middleware and reporting jobs: only a hash is stored, so a new key is shown once. */
import 'server-only';
import { z } from 'zod';
import { defineList } from '@/lib/admin/list';
import { createApiKey, listApiKeys, revokeApiKey } from '@/lib/auth/api-keys';

export const apiKeysList = defineList({
  name: 'api-keys',
  title: 'API keys',
  description: 'For the middleware and reporting jobs. Only a hash is stored; a key is shown once.',
  caption: 'API keys',
  empty: 'No API keys yet. Create one for each system that sends messages or reads KPIs.',
  rowTestId: 'api-key-row',
  capability: 'admin',
  load: listApiKeys,
  rowKey: (k) => k.id,
  columns: [
    { key: 'name', header: 'Name', cell: (k) => k.name },
    { key: 'prefix', header: 'Prefix', className: 'font-mono text-xs', cell: (k) => `${k.prefix}…` },
    { key: 'createdAt', header: 'Created', cell: (k) => ({ time: k.createdAt }) },
    { key: 'lastUsedAt', header: 'Last used', cell: (k) => ({ time: k.lastUsedAt }) },
    {
      key: 'status',
      header: 'Status',
      cell: (k) => (k.revokedAt ? { badge: 'revoked' } : { badge: 'active', tone: 'ok' }),
    },
  ],
  fields: ['id', 'name', 'prefix', 'createdAt', 'lastUsedAt', 'revokedAt'],
  csvFile: 'api-keys.csv',
  write: {
    input: z.object({ name: z.string({ message: 'Give the key a name' }).trim().min(1, 'Give the key a name') }),
    notSaved: 'The key was not created.',
    save: async (db, { name }) => ({ created: true, row: await createApiKey(db, name) }),
    said: (_, { row }) => ({ ok: `Created "${row.name}". Copy it now: it is not shown again.`, secret: row.key }),
    form: {
      name: 'key',
      submit: 'Create key',
      fields: [{ name: 'name', label: 'Key name (e.g. the middleware host)' }],
    },
  },
  remove: {
    key: z.object({ name: z.string().min(1) }),
    which: 'Say which key to revoke.',
    run: (db, { name }) => revokeApiKey(db, name),
    values: (k) => ({ name: k.name }),
    verb: 'Revoke',
    when: (k) => !k.revokedAt,
  },
});
