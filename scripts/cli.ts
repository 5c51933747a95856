/**
 * npm run cli -- <command>
 *   api-key create <name>      prints the new key alone on its last line (only its hash is stored)
 *   api-key list
 *   api-key revoke <name>
 *   user add <email> --role <role> [--password <pw>] [--name <name>]   (prompts for the password when omitted)
 *   user list
 * Runs against DATABASE_URL, or the embedded database (refused while a server holds it).
 */
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline/promises';
import { ROLES } from '../db/schema';
import type { AppError } from '../lib/errors';

// The database and its code load only once the arguments are known to be good, so a usage error is quick.
let closeDb: () => Promise<void> = async () => {};

const USAGE = `usage: npm run cli -- <command>
  api-key create <name>
  api-key list
  api-key revoke <name>
  user add <email> --role <${ROLES.join('|')}> [--password <password>] [--name <name>]
  user list`;

class UsageError extends Error {}

async function promptPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    // Piped: the first line of standard input is the password.
    const rl = createInterface({ input: process.stdin });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    throw new UsageError('no password given: pass --password or type it at the prompt');
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const answer = await rl.question('Password: ');
  rl.close();
  return answer;
}

const fmt = (d: Date | null) => (d ? d.toISOString() : '-');

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { role: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [group, action, arg, ...extra] = positionals;
  const command = `${group ?? ''} ${action ?? ''}`.trim();
  const known: Record<string, number> = { 'api-key create': 1, 'api-key list': 0, 'api-key revoke': 1, 'user add': 1, 'user list': 0 };
  if (!(command in known)) throw new UsageError(group ? `unknown command: ${command}` : 'no command given');
  if ((known[command] === 1 && !arg) || extra.length || (known[command] === 0 && arg)) throw new UsageError(`wrong arguments for ${command}`);
  if (command === 'user add' && (!values.role || !(ROLES as readonly string[]).includes(values.role))) {
    throw new UsageError(`user add needs --role, one of ${ROLES.join(', ')}`);
  }

  const [dbModule, { createApiKey, listApiKeys, revokeApiKey }, { seedDefaults }, { addUser, listUsers }] = await Promise.all([
    import('../db'),
    import('../lib/auth/api-keys'),
    import('../lib/bootstrap'),
    import('../lib/users'),
  ]);
  closeDb = dbModule.closeDb;
  const handle = await dbModule.getHandle('cli');
  const db = handle.db;
  await seedDefaults(db);
  switch (command) {
    case 'api-key create': {
      const k = await createApiKey(db, arg);
      console.log(`Created API key "${k.name}" (${k.prefix}…). It is shown once; store it now:`);
      console.log(k.key);
      return 0;
    }
    case 'api-key list': {
      const keys = await listApiKeys(db);
      if (!keys.length) console.log('No API keys yet. Create one with: npm run cli -- api-key create <name>');
      for (const k of keys) console.log(`${k.name}\t${k.prefix}…\tcreated ${fmt(k.createdAt)}\tlast used ${fmt(k.lastUsedAt)}\t${k.revokedAt ? 'revoked ' + fmt(k.revokedAt) : 'active'}`);
      return 0;
    }
    case 'api-key revoke': {
      if (!(await revokeApiKey(db, arg))) {
        console.error(`No active API key named "${arg}".`);
        return 1;
      }
      console.log(`Revoked API key "${arg}".`);
      return 0;
    }
    case 'user add': {
      const password = values.password ?? (await promptPassword());
      const u = await addUser(db, { email: arg, role: values.role!, password, name: values.name });
      console.log(`Added ${u.email} as ${u.role}.`);
      return 0;
    }
    case 'user list': {
      for (const u of await listUsers(db)) console.log(`${u.email}\t${u.role}\t${u.disabled ? 'disabled' : 'active'}\tcreated ${fmt(u.createdAt)}`);
      return 0;
    }
  }
  return 2;
}

run(process.argv.slice(2))
  .then(async (code) => {
    await closeDb();
    process.exit(code);
  })
  .catch(async (e: unknown) => {
    await closeDb().catch(() => {});
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`error: ${(e as Error).message}\n${USAGE}`);
      process.exit(2);
    }
    if ((e as Error).name === 'AppError') {
      const details = (e as AppError).details.map((d) => (typeof d === 'object' && d ? `  ${(d as { field?: string }).field}: ${(d as { message?: string }).message}` : `  ${String(d)}`));
      console.error([`error: ${(e as Error).message}`, ...details].join('\n'));
      process.exit(1);
    }
    console.error(`error: ${(e as Error).message}`);
    process.exit(1);
  });
