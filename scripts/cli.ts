/**
 * npm run cli -- <command>
 *   api-key create <name>      prints the key alone on its last line (only its hash is stored)
 *   api-key list
 *   api-key revoke <name>
 *   user add <email> --role <role> [--password <password>] [--name <name>]   (prompts for the password when omitted)
 *   user list
 * Runs against DATABASE_URL, or the embedded database. PGlite allows one process per folder: when a
 * running server holds it, the command is handed to that server (over loopback, with the secret it
 * wrote in its lock file) instead of opening the folder a second time.
 */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { ROLES } from '../db/schema';
import { CLI_USAGE, type CliCommand, type CliOutput } from '../lib/cli/commands';

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

/** Validates the arguments before anything heavy loads, so a usage error is quick. */
async function parse(argv: string[]): Promise<CliCommand | 'help'> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { role: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return 'help';
  const [group, action, arg, ...extra] = positionals;
  const command = `${group ?? ''} ${action ?? ''}`.trim();
  const arity: Record<string, number> = { 'api-key create': 1, 'api-key list': 0, 'api-key revoke': 1, 'user add': 1, 'user list': 0 };
  if (!(command in arity)) throw new UsageError(group ? `unknown command: ${command}` : 'no command given');
  if ((arity[command] === 1 && !arg) || extra.length || (arity[command] === 0 && arg)) throw new UsageError(`wrong arguments for ${command}`);
  switch (command) {
    case 'api-key create':
    case 'api-key revoke':
      return { command, name: arg };
    case 'user add':
      if (!values.role || !(ROLES as readonly string[]).includes(values.role)) throw new UsageError(`user add needs --role, one of ${ROLES.join(', ')}`);
      return { command, email: arg, role: values.role, name: values.name, password: values.password ?? (await promptPassword()) };
    default:
      return { command: command as 'api-key list' | 'user list' };
  }
}

async function execute(c: CliCommand): Promise<CliOutput> {
  const [db, { readLock }] = await Promise.all([import('../db'), import('../db/pglite-lock')]);
  const dir = db.pgliteDir();
  const holder = dir ? readLock(dir) : null;
  if (holder?.url && holder.token && holder.pid !== process.pid) {
    const res = await fetch(new URL('/api/internal/cli', holder.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-cli-token': holder.token },
      body: JSON.stringify(c),
    }).catch(() => null);
    if (res?.ok) return (await res.json()) as CliOutput;
    // The holder did not take it: fall through to opening the folder, which names the holder.
  }
  const [{ seedDefaults }, { runCliCommand }] = await Promise.all([import('../lib/bootstrap'), import('../lib/cli/commands')]);
  try {
    const handle = await db.getHandle('cli');
    await seedDefaults(handle.db);
    return await runCliCommand(handle.db, c);
  } finally {
    await db.closeDb();
  }
}

async function main(): Promise<number> {
  let c: CliCommand | 'help';
  try {
    c = await parse(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError || String((e as { code?: string }).code).startsWith('ERR_PARSE_ARGS')) {
      console.error(`error: ${(e as Error).message}\n${CLI_USAGE}`);
      return 2;
    }
    throw e;
  }
  if (c === 'help') {
    console.log(CLI_USAGE);
    return 0;
  }
  const out = await execute(c);
  for (const line of out.stdout) console.log(line);
  for (const line of out.stderr) console.error(line);
  return out.code;
}

main()
  .then((code) => process.exit(code))
  .catch((e: unknown) => {
    console.error(`error: ${(e as Error).message}`);
    process.exit(1);
  });
