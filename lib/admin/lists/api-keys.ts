/** API keys for the middleware and reporting jobs: only a hash is stored, so a new key is shown once. */
import 'server-only';
import { z } from 'zod';
import { defineList } from '@/lib/admin/list';
import { createApiKey, listApiKeys, revokeApiKey } from '@/lib/auth/api-keys';
import { DEFAULT_KEY_SCOPES, KEY_SCOPES } from '@/lib/auth/route-policy';

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
    { key: 'scopes', header: 'Scopes', cell: (k) => k.scopes.join(', ') },
    { key: 'createdAt', header: 'Created', cell: (k) => ({ time: k.createdAt }) },
    { key: 'lastUsedAt', header: 'Last used', cell: (k) => ({ time: k.lastUsedAt }) },
    {
      key: 'status',
      header: 'Status',
      cell: (k) => (k.revokedAt ? { badge: 'revoked' } : { badge: 'active', tone: 'ok' }),
    },
  ],
  fields: ['id', 'name', 'prefix', 'scopes', 'createdAt', 'lastUsedAt', 'revokedAt'],
  csvFile: 'api-keys.csv',
  write: {
    input: z.object({
      name: z.string({ message: 'Give the key a name' }).trim().min(1, 'Give the key a name'),
      // The ticked boxes, checked by createApiKey (field `scope`): none ticked is an empty list, refused.
      scope: z.array(z.string()),
    }),
    notSaved: 'The key was not created.',
    save: async (db, { name, scope }) => ({ created: true, row: await createApiKey(db, name, scope) }),
    said: (_, { row }) => ({
      ok: `Created "${row.name}" with scopes ${row.scopes.join(', ')}. Copy it now: it is not shown again.`,
      secret: row.key,
    }),
    form: {
      name: 'key',
      submit: 'Create key',
      fields: [
        { name: 'name', label: 'Key name (e.g. the middleware host)' },
        { name: 'scope', label: 'Scopes', choices: KEY_SCOPES, checked: DEFAULT_KEY_SCOPES },
      ],
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
