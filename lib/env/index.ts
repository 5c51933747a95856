/**
 * Every environment variable that the app, the scripts and the tests read: its type, default and
 * what it does, parsed with zod on first use and then kept. A value that cannot be used stops the
 * process at start (the server's start hook, each CLI's main) with one line per variable naming
 * what was expected, never with a stack.
 *
 * Imports nothing from the project (beyond its own `lib/env/` files), so `db/index.ts` may read it (the one import from `db/` into
 * `lib/`). Parsing waits for the first `env()`, so a test or a script may set variables before that.
 * Plain .mjs scripts and the vitest and Playwright configs read `process.env` themselves; their
 * variables are listed here all the same, so that the README's table (checked against this list
 * by lib/env/env.test.ts) holds every one.
 */
import { ENV_VARS, type Env, type EnvName, type EnvVar } from './vars';
import { weakSecretReason } from './secret';

export { ENV_ROLES, ENV_VARS, type Env, type EnvName } from './vars';
export { weakSecretReason } from './secret';

/** Values that cannot be used, one line per variable. */
export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    const lines = problems.map((p) => `  ${p}`).join('\n');
    super(`invalid environment (README.md, Configuration, lists every variable):\n${lines}`);
    this.name = 'EnvError';
  }
}

/** A value as a message may show it: secrets hidden, a URL's password masked. */
function shown(name: EnvName, value: string): string {
  if ((ENV_VARS[name] as EnvVar).secret) return '(hidden)';
  return JSON.stringify(value.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@'));
}

/** Parses `source` (process.env by default); an empty value counts as unset. Throws an EnvError. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const name of Object.keys(ENV_VARS) as EnvName[]) {
    const spec: EnvVar = ENV_VARS[name];
    const raw = source[name] === '' ? undefined : source[name];
    const parsed = spec.schema.safeParse(raw);
    if (parsed.success) out[name] = parsed.data;
    else problems.push(`${name}=${shown(name, raw ?? '')}: expected ${spec.expected}`);
  }
  // A running production server (`next start`), not the build: the session secret must be one.
  if (!problems.length && out.NODE_ENV === 'production' && out.NEXT_PHASE !== 'phase-production-build') {
    const weak = weakSecretReason(out.NEXTAUTH_SECRET as string | undefined);
    if (weak) problems.push(`NEXTAUTH_SECRET=(hidden): expected ${weak}`);
  }
  if (problems.length) throw new EnvError(problems);
  return out as Env;
}

let parsed: Env | undefined;

/** The environment, parsed on the first call and kept for the life of the process. */
export function env(): Env {
  parsed ??= parseEnv();
  return parsed;
}

/** The README's configuration table (lib/env/env.test.ts checks the README holds exactly this). */
export function envTable(): string {
  const rows = (Object.keys(ENV_VARS) as EnvName[]).map((name) => {
    const spec: EnvVar = ENV_VARS[name];
    return `| \`${name}\` | ${spec.default} | ${spec.description} | ${spec.usedBy} |`;
  });
  return ['| variable | default | what it does | read by |', '|---|---|---|---|', ...rows].join('\n');
}
