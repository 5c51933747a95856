/**
 * The command lines of the scripts (`npm run cli`, `npm run bench`, …), declared once: each option
 * with its type, default, placeholder and a line on what it does. From that declaration come the
 * parsing (node:util parseArgs, strict), the checks of each value, `--help`, and errors that name
 * the option and the valid ones. Parsing never exits: it throws a CliExit (code 0 for help, 2 for
 * a wrong command line) that `runCli` turns into output and the exit code, so it can be tested.
 *
 * A script adopts it in three steps: declare `defineCommand({ program, options })`, call
 * `parseCommandLine(spec, process.argv.slice(2))` at the start of its main, and end with
 * `runCli(main)`. Several commands under one program (`npm run cli -- user add …`): `pickCommand`.
 */
import { parseArgs } from 'node:util';
import { EnvError } from '@/lib/env';

interface OptionBase {
  /** One line: what it does. */
  description: string;
  /** The value's name in help and usage: `--messages <N>`. */
  placeholder?: string;
  short?: string;
  /** Absent without a default: undefined (or a refusal, when required). */
  required?: boolean;
}

export type OptionSpec =
  | (OptionBase & { type: 'boolean'; default?: boolean })
  | (OptionBase & { type: 'integer'; default?: number; min?: number; max?: number })
  | (OptionBase & { type: 'string'; default?: string; choices?: readonly string[]; multiple?: false })
  | (OptionBase & { type: 'string'; multiple: true; default?: readonly string[]; choices?: readonly string[] });

export interface CommandSpec<O extends Record<string, OptionSpec> = Record<string, OptionSpec>> {
  /** How it is run: `npm run bench`. */
  program: string;
  /** The subcommand, under a program of several (`user add`). */
  name?: string;
  /** One line for a program's list of commands. */
  summary?: string;
  /** Shown under the usage line in `--help`. */
  description?: string;
  /** What follows the command in the usage line; made from the options and positionals when left out. */
  usage?: string;
  options: O;
  /** The arguments that are not options, in order; none when left out. */
  positionals?: readonly string[];
}

type ValueOf<O extends OptionSpec> = O extends { type: 'boolean' }
  ? boolean
  : O extends { type: 'integer' }
    ? number
    : O extends { multiple: true }
      ? string[]
      : O extends { choices: readonly (infer C)[] }
        ? C
        : string;

type AlwaysThere<O extends OptionSpec> = O extends { type: 'boolean' } | { multiple: true } | { required: true }
  ? true
  : O extends { default: unknown }
    ? true
    : false;

export type ArgValues<O extends Record<string, OptionSpec>> = {
  -readonly [K in keyof O]: AlwaysThere<O[K]> extends true ? ValueOf<O[K]> : ValueOf<O[K]> | undefined;
};

/** Declares a command (keeps the options' literal types, so the parsed values are typed). */
export function defineCommand<const O extends Record<string, OptionSpec>>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}

/** Ends the command with `code`, printing `text` (help on stdout, errors on stderr). */
export class CliExit extends Error {
  constructor(
    readonly code: number,
    readonly text: string,
  ) {
    super(text);
    this.name = 'CliExit';
  }
}

const HELP = ['--help', '-h'];
const wantsHelp = (argv: string[]) => {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => HELP.includes(a));
};

const invocation = (spec: CommandSpec) => `${spec.program} --${spec.name ? ` ${spec.name}` : ''}`;

function flag(name: string, o: OptionSpec) {
  return o.type === 'boolean' ? `--${name}` : `--${name} <${o.placeholder ?? (o.type === 'integer' ? 'N' : 'value')}>`;
}

export function usageLine(spec: CommandSpec): string {
  const made = [
    ...(spec.positionals ?? []).map((p) => `<${p}>`),
    ...Object.entries(spec.options).map(([name, o]) => (o.required ? flag(name, o) : `[${flag(name, o)}]`)),
  ].join(' ');
  return `usage: ${invocation(spec)} ${spec.usage ?? made}`.trimEnd();
}

function defaultOf(o: OptionSpec): string {
  const d = o.type === 'boolean' ? undefined : Array.isArray(o.default) ? o.default.join(' ') : o.default;
  return d === undefined || d === '' ? '' : ` (default ${d})`;
}

/** The `--help` text: usage, description, then each option with its placeholder, default and description. */
export function helpText(spec: CommandSpec): string {
  const rows: [string, string][] = Object.entries(spec.options).map(([name, o]) => {
    const left = `${o.short ? `-${o.short}, ` : ''}${flag(name, o)}`;
    const choices = o.type === 'string' && o.choices ? ` (one of ${o.choices.join(', ')})` : '';
    return [left, `${o.description}${choices}${defaultOf(o)}`];
  });
  rows.push(['-h, --help', 'print this help and exit']);
  const w = Math.max(...rows.map(([l]) => l.length));
  const lines = [usageLine(spec)];
  if (spec.description) lines.push('', spec.description);
  lines.push('', 'options:', ...rows.map(([l, r]) => `  ${l.padEnd(w)}  ${r}`));
  return lines.join('\n');
}

/** A wrong command line: the problem, the usage, where to read more; exit code 2. */
export function usageError(spec: CommandSpec, problem: string): CliExit {
  return new CliExit(2, `error: ${problem}\n${usageLine(spec)}\n(${invocation(spec)} --help lists the options)`);
}

const validOptions = (spec: CommandSpec) => [...Object.keys(spec.options).map((n) => `--${n}`), '--help'].join(', ');

/** parseArgs's own errors, worded with the option and the valid ones. */
function wordParseError(spec: CommandSpec, e: { code?: string; message: string }): string {
  const named = /'(-[^' ]+)/.exec(e.message)?.[1] ?? '';
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${named}; valid options: ${validOptions(spec)}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${/'([^']*)'/.exec(e.message)?.[1] ?? ''}; ${invocation(spec)} takes options only`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const long = /--[\w-]+/.exec(e.message)?.[0] ?? named;
      if (/argument missing/.test(e.message)) return `${long} needs a value`;
      // The value starts with a dash (`--messages -1`): parseArgs takes it for an option.
      if (/ambiguous/.test(e.message)) return `${long} needs a value; one starting with "-" goes after "=": ${long}=-…`;
      return `${long} takes no value`;
    }
    default:
      return e.message;
  }
}

/**
 * Parses `argv` against `spec`: the values typed (integers checked and converted, choices checked,
 * defaults filled in) and the positionals. Throws a CliExit: code 0 with the help on `--help`/`-h`,
 * code 2 on an unknown option, a missing or bad value, or the wrong number of arguments.
 */
export function parseCommandLine<O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
  argv: string[],
): { values: ArgValues<O>; positionals: string[] } {
  if (wantsHelp(argv)) throw new CliExit(0, helpText(spec));
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, o] of Object.entries(spec.options)) {
    options[name] = { type: o.type === 'boolean' ? 'boolean' : 'string', multiple: 'multiple' in o && o.multiple };
    if (o.short) options[name].short = o.short;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: !!spec.positionals?.length });
  } catch (e) {
    if (String((e as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      throw usageError(spec, wordParseError(spec, e as Error & { code: string }));
    }
    throw e;
  }
  const values: Record<string, unknown> = {};
  for (const [name, o] of Object.entries(spec.options)) {
    const raw = parsed.values[name];
    if (raw === undefined) {
      if (o.required) throw usageError(spec, `missing ${flag(name, o)}`);
      const multiple = 'multiple' in o && o.multiple;
      values[name] = o.type === 'boolean' ? (o.default ?? false) : multiple ? [...(o.default ?? [])] : o.default;
    } else if (o.type === 'integer') {
      const n = /^-?\d+$/.test(String(raw)) ? Number(raw) : NaN;
      const min = o.min ?? -Infinity;
      const max = o.max ?? Infinity;
      if (!Number.isSafeInteger(n) || n < min || n > max) {
        const range = max === Infinity ? (min === -Infinity ? '' : ` ≥ ${min}`) : ` from ${min} to ${max}`;
        throw usageError(spec, `--${name} ${JSON.stringify(raw)}: expected a whole number${range}`);
      }
      values[name] = n;
    } else {
      if (o.type === 'string' && o.choices) {
        for (const v of Array.isArray(raw) ? raw : [raw]) {
          if (!o.choices.includes(String(v))) {
            throw usageError(spec, `--${name} ${JSON.stringify(v)}: expected one of ${o.choices.join(', ')}`);
          }
        }
      }
      values[name] = raw;
    }
  }
  const expected = spec.positionals ?? [];
  const positionals = parsed.positionals;
  if (positionals.length < expected.length) {
    throw usageError(spec, `missing <${expected[positionals.length]}>`);
  }
  if (positionals.length > expected.length) {
    throw usageError(spec, `unexpected argument ${positionals[expected.length]}`);
  }
  return { values: values as ArgValues<O>, positionals };
}

/** A program of several commands, each a CommandSpec named by one or two words (`user add`). */
export interface ProgramSpec {
  program: string;
  description?: string;
  commands: readonly CommandSpec[];
}

export function programHelp(p: ProgramSpec): string {
  const rows = p.commands.map((c) => [
    `${c.name} ${(c.positionals ?? []).map((x) => `<${x}>`).join(' ')}`.trim(),
    c.summary ?? '',
  ]);
  const w = Math.max(...rows.map(([l]) => l.length));
  const lines = [`usage: ${p.program} -- <command> [options]`];
  if (p.description) lines.push('', p.description);
  lines.push('', 'commands:', ...rows.map(([l, r]) => `  ${l.padEnd(w)}  ${r}`.trimEnd()));
  lines.push('', `${p.program} -- <command> --help lists the options of one.`);
  return lines.join('\n');
}

function programError(p: ProgramSpec, problem: string): CliExit {
  const commands = p.commands.map((c) => c.name).join(', ');
  return new CliExit(2, `error: ${problem}\nusage: ${p.program} -- <command> [options]\ncommands: ${commands}`);
}

/**
 * Finds the command that `argv` starts with; the rest of `argv` is for parseCommandLine. Throws a
 * CliExit: the program's help (or a group's, `user --help`) with code 0, or code 2 when no known
 * command leads.
 */
export function pickCommand(p: ProgramSpec, argv: string[]): { command: CommandSpec; rest: string[] } {
  if (!argv.length) throw programError(p, 'no command given');
  if (HELP.includes(argv[0])) throw new CliExit(0, programHelp(p));
  for (const command of [...p.commands].sort((a, b) => b.name!.split(' ').length - a.name!.split(' ').length)) {
    const words = command.name!.split(' ');
    if (words.every((w, i) => argv[i] === w)) return { command, rest: argv.slice(words.length) };
  }
  if (argv[0].startsWith('-')) {
    throw programError(p, `unknown option ${argv[0]}; valid options: --help (each command's own: <command> --help)`);
  }
  const group = p.commands.filter((c) => c.name!.startsWith(`${argv[0]} `));
  if (group.length) {
    const sub = { ...p, commands: group };
    if (argv[1] !== undefined && HELP.includes(argv[1])) throw new CliExit(0, programHelp(sub));
    const known = group.map((c) => c.name).join(', ');
    throw programError(
      p,
      argv[1] ? `unknown command ${argv[0]} ${argv[1]}; ${argv[0]} has ${known}` : `${argv[0]} needs one of ${known}`,
    );
  }
  throw programError(p, `unknown command ${argv[0]}`);
}

/**
 * Runs a script's main and ends the process with its code. A CliExit prints its text (help on
 * stdout, errors on stderr) and ends with its code; a bad environment ends with 2 and lib/env's
 * message; any other error with 1, and its stack when `stack` (else its message alone).
 */
export function runCli(main: () => Promise<number | void>, opts: { stack?: boolean } = {}): void {
  const end = (code: number, stream: NodeJS.WriteStream, text: string) =>
    stream.write(`${text}\n`, () => process.exit(code));
  main().then(
    (code) => process.exit(code ?? 0),
    (e: unknown) => {
      if (e instanceof CliExit) return void end(e.code, e.code === 0 ? process.stdout : process.stderr, e.text);
      if (e instanceof EnvError) return void end(2, process.stderr, `error: ${e.message}`);
      if (opts.stack) console.error(e);
      else console.error(`error: ${(e as Error).message}`);
      process.exit(1);
    },
  );
}
