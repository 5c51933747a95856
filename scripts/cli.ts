/**
 * npm run cli -- <command>
 *   api-key create <name> [--scope s]…   prints the key alone on its last line (only its hash is stored);
 *                              scopes ingest, read, admin (repeatable or comma-separated; default ingest,read)
 *   api-key list
 *   api-key revoke <name>
 *   user add <email> --role <role> [--password <password>] [--name <name>]   (prompts for the password when omitted)
 *   user list
 *   import <format> <file…> [--option value]   (scripts/cli-import.ts)
 *   import-profile save <file>   validates and saves a mapping profile (JSON) under its name
 *   import-profile list
 *   alerts apply <file.json>   upserts the channels, rules and silences of the file by id, all or nothing (SPEC 9)
 *   alerts export [--with-secrets]   prints them in the same form, secrets masked unless asked
 *   retention set <kind> <days>   days to keep a kind (messages, quarantine, snapshots, differences, audit, alerts,
 *                              rollups); "forever" keeps it forever
 *   retention preview [--json]   what a run would drop now; --json: one JSON object on the last line, a key per kind
 *   retention run              drops what the preview names, with progress
 * Runs against DATABASE_URL, or the embedded database. PGlite allows one process per folder: when a
 * running server holds it, the command is handed to that server (over loopback, with the secret it
 * wrote in its lock file) instead of opening the folder a second time.
 */
import fs from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { ROLES } from '../db/schema';
import { DEFAULT_KEY_SCOPES, KEY_SCOPES } from '../lib/auth/route-policy';
import {
  CliExit,
  defineCommand,
  parseCommandLine,
  pickCommand,
  runCli,
  usageError,
  type ProgramSpec,
} from '../lib/cli/args';
import type { CliCommand, CliOutput } from '../lib/cli/commands';
import { IMPORT, cliUser, parseImport, runImportCommand } from './cli-import';
import { env } from '../lib/env';
import { SETTING_KEYS, type SettingKey } from '../lib/retention/settings';

const program = 'npm run cli';
const API_KEY_CREATE = defineCommand({
  program,
  name: 'api-key create',
  positionals: ['name'],
  summary: 'create an API key; prints the key alone on its last line (only its hash is stored)',
  options: {
    scope: {
      type: 'string',
      multiple: true,
      default: DEFAULT_KEY_SCOPES,
      placeholder: 'scope',
      description: `what the key may do: ${KEY_SCOPES.join(', ')} (repeat it, or a comma list: --scope ingest,read,admin)`,
    },
  },
});
const API_KEY_LIST = defineCommand({ program, name: 'api-key list', summary: 'list the API keys', options: {} });
const API_KEY_REVOKE = defineCommand({
  program,
  name: 'api-key revoke',
  positionals: ['name'],
  summary: 'revoke the active API key of that name',
  options: {},
});
const USER_ADD = defineCommand({
  program,
  name: 'user add',
  positionals: ['email'],
  summary: 'add a person (prompts for the password when --password is left out)',
  options: {
    role: {
      type: 'string',
      choices: ROLES,
      required: true,
      placeholder: 'role',
      description: 'what the person may see and do',
    },
    password: {
      type: 'string',
      placeholder: 'password',
      description: 'at least 8 characters; left out: asked at the prompt, or the first line of standard input',
    },
    name: { type: 'string', placeholder: 'name', description: 'the name shown in the app' },
  },
});
const USER_LIST = defineCommand({
  program,
  name: 'user list',
  summary: 'list the people who may sign in',
  options: {},
});

const IMPORT_PROFILE_SAVE = defineCommand({
  program,
  name: 'import-profile save',
  positionals: ['file'],
  summary: 'validate a mapping profile (a JSON file, SPEC 10) and save it under its name, replacing one of that name',
  options: {},
});
const IMPORT_PROFILE_LIST = defineCommand({
  program,
  name: 'import-profile list',
  summary: 'list the saved mapping profiles',
  options: {},
});

const ALERTS_APPLY = defineCommand({
  program,
  name: 'alerts apply',
  positionals: ['file'],
  summary: 'apply an alert configuration file (JSON: channels, rules, silences), all or nothing; prints what changed',
  options: {},
});
const ALERTS_EXPORT = defineCommand({
  program,
  name: 'alerts export',
  summary: 'print the alert configuration in the file form',
  options: {
    'with-secrets': { type: 'boolean', description: 'print webhook secrets, Slack/Teams URLs and routing keys' },
  },
});

/** A JSON file read here, so a server that runs the command needs no access to it. */
function readJsonFile(file: string, spec = IMPORT_PROFILE_SAVE): unknown {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile()) throw usageError(spec, `${file}: no such file`);
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliExit(1, `error: ${file} is not valid JSON (${(e as Error).message}).`);
  }
}

const RETENTION_SET = defineCommand({
  program,
  name: 'retention set',
  positionals: ['kind', 'days'],
  summary: `how long to keep a kind of data (${SETTING_KEYS.join(', ')}), in days; "forever" keeps it forever`,
  options: {},
});
const RETENTION_PREVIEW = defineCommand({
  program,
  name: 'retention preview',
  summary: 'what a retention run would drop now: partitions, rows and bytes per kind',
  options: {
    json: { type: 'boolean', description: 'print one JSON object, a key per kind, as the last line' },
  },
});
const RETENTION_RUN = defineCommand({
  program,
  name: 'retention run',
  summary: 'drop what the preview names (whole partitions, never row by row), printing progress',
  options: {},
});

const CLI: ProgramSpec = {
  program,
  description:
    'Runs against DATABASE_URL, or the embedded database. When a running server holds the embedded database, ' +
    'the command is handed to that server.',
  commands: [
    API_KEY_CREATE,
    API_KEY_LIST,
    API_KEY_REVOKE,
    USER_ADD,
    USER_LIST,
    IMPORT,
    IMPORT_PROFILE_SAVE,
    IMPORT_PROFILE_LIST,
    ALERTS_APPLY,
    ALERTS_EXPORT,
    RETENTION_SET,
    RETENTION_PREVIEW,
    RETENTION_RUN,
  ],
};

async function promptPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    // Piped: the first line of standard input is the password.
    const rl = createInterface({ input: process.stdin });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    throw usageError(USER_ADD, 'no password given: pass --password or type it at the prompt');
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const answer = await rl.question('Password: ');
  rl.close();
  return answer;
}

/** Validates the arguments before anything heavy loads, so a usage error is quick. */
async function parse(argv: string[]): Promise<CliCommand> {
  const { command, rest } = pickCommand(CLI, argv);
  switch (command) {
    case API_KEY_CREATE: {
      const { values, positionals } = parseCommandLine(API_KEY_CREATE, rest);
      const scopes = values.scope.flatMap((s) => s.split(',')).map((s) => s.trim());
      const unknown = scopes.filter((s) => !(KEY_SCOPES as readonly string[]).includes(s));
      if (unknown.length || !scopes.length) {
        const what = unknown.length ? `--scope ${JSON.stringify(unknown[0])}` : '--scope needs a value';
        throw usageError(API_KEY_CREATE, `${what}: expected one or more of ${KEY_SCOPES.join(', ')}`);
      }
      return { command: 'api-key create', name: positionals[0], scopes };
    }
    case API_KEY_REVOKE:
      return { command: 'api-key revoke', name: parseCommandLine(API_KEY_REVOKE, rest).positionals[0] };
    case USER_ADD: {
      const { values, positionals } = parseCommandLine(USER_ADD, rest);
      const password = values.password ?? (await promptPassword());
      return { command: 'user add', email: positionals[0], role: values.role, name: values.name, password };
    }
    case IMPORT_PROFILE_SAVE: {
      const file = parseCommandLine(IMPORT_PROFILE_SAVE, rest).positionals[0];
      return { command: 'import-profile save', file, profile: readJsonFile(file), by: cliUser() };
    }
    case ALERTS_APPLY: {
      const file = parseCommandLine(ALERTS_APPLY, rest).positionals[0];
      return { command: 'alerts apply', file, config: readJsonFile(file, ALERTS_APPLY), by: cliUser() };
    }
    case ALERTS_EXPORT:
      return { command: 'alerts export', withSecrets: parseCommandLine(ALERTS_EXPORT, rest).values['with-secrets'] };
    case RETENTION_SET: {
      const [kind, days] = parseCommandLine(RETENTION_SET, rest).positionals;
      if (!(SETTING_KEYS as readonly string[]).includes(kind))
        throw usageError(RETENTION_SET, `<kind> ${JSON.stringify(kind)}: expected one of ${SETTING_KEYS.join(', ')}`);
      return { command: 'retention set', kind: kind as SettingKey, days };
    }
    case RETENTION_PREVIEW:
      return { command: 'retention preview', json: parseCommandLine(RETENTION_PREVIEW, rest).values.json };
    case RETENTION_RUN:
      parseCommandLine(RETENTION_RUN, rest);
      return { command: 'retention run' };
    case API_KEY_LIST:
    case USER_LIST:
    case IMPORT_PROFILE_LIST:
      parseCommandLine(command, rest);
      return { command: command.name as 'api-key list' | 'user list' | 'import-profile list' };
    default:
      throw new CliExit(2, `error: no such command ${command.name}`);
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
  const [{ seedDefaults }, { runCliCommand }] = await Promise.all([
    import('../lib/bootstrap'),
    import('../lib/cli/commands'),
  ]);
  try {
    const handle = await db.getHandle('cli');
    await seedDefaults(handle.db);
    return await runCliCommand(handle.db, c, (line) => console.log(line));
  } finally {
    await db.closeDb();
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv[0] === IMPORT.name) {
    const c = parseImport(argv.slice(1));
    env();
    return runImportCommand(c);
  }
  const c = await parse(argv);
  env(); // a bad environment stops the command here, before any database opens
  const out = await execute(c);
  for (const line of out.stdout) console.log(line);
  for (const line of out.stderr) console.error(line);
  return out.code;
}

runCli(main);
