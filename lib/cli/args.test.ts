import { describe, expect, it } from 'vitest';
import { CliExit, defineCommand, helpText, parseCommandLine, pickCommand, programHelp } from '@/lib/cli/args';

const LOAD = defineCommand({
  program: 'npm run load',
  description: 'Loads things.',
  options: {
    messages: { type: 'integer', min: 0, default: 1000, description: 'how many' },
    port: { type: 'integer', min: 1, max: 65535, default: 3390, description: 'where' },
    keep: { type: 'boolean', description: 'keep it' },
    target: { type: 'string', placeholder: 'URL', description: 'send here' },
    scenario: { type: 'string', multiple: true, choices: ['a', 'b'], placeholder: 'name', description: 'faults' },
    mode: { type: 'string', choices: ['fast', 'slow'], default: 'fast', description: 'pace' },
  },
});

/** The CliExit that parsing `argv` throws. */
function exit(fn: () => unknown): CliExit {
  try {
    fn();
  } catch (e) {
    if (e instanceof CliExit) return e;
    throw e;
  }
  throw new Error('no CliExit');
}

describe('parseCommandLine', () => {
  it('fills in defaults and types the values', () => {
    const { values, positionals } = parseCommandLine(LOAD, []);
    expect(values).toEqual({ messages: 1000, port: 3390, keep: false, target: undefined, scenario: [], mode: 'fast' });
    expect(positionals).toEqual([]);
    const given = parseCommandLine(LOAD, [
      '--messages',
      '0',
      '--keep',
      '--scenario',
      'a',
      '--scenario=b',
      '--mode=slow',
    ]);
    expect(given.values).toMatchObject({ messages: 0, keep: true, scenario: ['a', 'b'], mode: 'slow' });
  });

  it('answers --help and -h with the help, code 0, whatever else is on the line', () => {
    for (const argv of [['--help'], ['-h'], ['--messages', 'x', '--help'], ['--bogus', '-h']]) {
      const e = exit(() => parseCommandLine(LOAD, argv));
      expect(e.code).toBe(0);
      expect(e.text).toBe(helpText(LOAD));
    }
    expect(helpText(LOAD)).toBe(
      [
        'usage: npm run load -- [--messages <N>] [--port <N>] [--keep] [--target <URL>] [--scenario <name>] ' +
          '[--mode <value>]',
        '',
        'Loads things.',
        '',
        'options:',
        '  --messages <N>     how many (default 1000)',
        '  --port <N>         where (default 3390)',
        '  --keep             keep it',
        '  --target <URL>     send here',
        '  --scenario <name>  faults (one of a, b)',
        '  --mode <value>     pace (one of fast, slow) (default fast)',
        '  -h, --help         print this help and exit',
      ].join('\n'),
    );
  });

  it.each([
    [
      ['--foo'],
      'unknown option --foo; valid options: --messages, --port, --keep, --target, --scenario, --mode, --help',
    ],
    [['-x'], 'unknown option -x; valid options: --messages, --port, --keep, --target, --scenario, --mode, --help'],
    [['--messages', 'abc'], '--messages "abc": expected a whole number ≥ 0'],
    [['--messages=-1'], '--messages "-1": expected a whole number ≥ 0'],
    [['--messages', '-1'], '--messages needs a value; one starting with "-" goes after "=": --messages=-…'],
    [['--messages=1e6'], '--messages "1e6": expected a whole number ≥ 0'],
    [['--port', '70000'], '--port "70000": expected a whole number from 1 to 65535'],
    [['--messages'], '--messages needs a value'],
    [['--keep=yes'], '--keep takes no value'],
    [['--scenario', 'c'], '--scenario "c": expected one of a, b'],
    [['extra'], 'unexpected argument extra; npm run load -- takes options only'],
  ])('refuses %j with code 2, naming the problem', (argv, problem) => {
    const e = exit(() => parseCommandLine(LOAD, argv));
    expect(e.code).toBe(2);
    expect(e.text.split('\n')[0]).toBe(`error: ${problem}`);
    expect(e.text).toContain('usage: npm run load -- ');
    expect(e.text).toContain('npm run load -- --help lists the options');
  });

  it('checks required options and positionals', () => {
    const add = defineCommand({
      program: 'npm run cli',
      name: 'user add',
      positionals: ['email'],
      options: {
        role: { type: 'string', choices: ['ops', 'admin'], required: true, placeholder: 'role', description: 'r' },
      },
    });
    expect(parseCommandLine(add, ['kim@example.com', '--role', 'ops']).values.role).toBe('ops');
    expect(exit(() => parseCommandLine(add, ['kim@example.com'])).text).toMatch(/^error: missing --role <role>\n/);
    expect(exit(() => parseCommandLine(add, ['--role', 'ops'])).text).toMatch(/^error: missing <email>\n/);
    expect(exit(() => parseCommandLine(add, ['a', 'b', '--role', 'ops'])).text).toMatch(
      /^error: unexpected argument b\n/,
    );
    expect(exit(() => parseCommandLine(add, ['a'])).text).toContain(
      'usage: npm run cli -- user add <email> --role <role>\n(npm run cli -- user add --help lists the options)',
    );
  });
});

describe('pickCommand', () => {
  const list = defineCommand({ program: 'npm run cli', name: 'user list', summary: 'list people', options: {} });
  const add = defineCommand({
    program: 'npm run cli',
    name: 'user add',
    positionals: ['email'],
    summary: 'add',
    options: {},
  });
  const keys = defineCommand({ program: 'npm run cli', name: 'keys', summary: 'keys', options: {} });
  const program = { program: 'npm run cli', commands: [list, add, keys] };

  it('finds the command and hands on the rest', () => {
    expect(pickCommand(program, ['user', 'add', 'x@y.z', '--help'])).toEqual({
      command: add,
      rest: ['x@y.z', '--help'],
    });
    expect(pickCommand(program, ['keys'])).toEqual({ command: keys, rest: [] });
  });

  it('lists the commands on --help, and a group of them on "<group> --help"', () => {
    const e = exit(() => pickCommand(program, ['--help']));
    expect(e.code).toBe(0);
    expect(e.text).toBe(programHelp(program));
    expect(e.text).toContain('  user add <email>  add\n');
    const group = exit(() => pickCommand(program, ['user', '-h']));
    expect(group.code).toBe(0);
    expect(group.text).toContain('user list');
    expect(group.text).not.toContain('keys');
  });

  it.each([
    [[], 'no command given'],
    [['frobnicate'], 'unknown command frobnicate'],
    [['user'], 'user needs one of user list, user add'],
    [['user', 'remove'], 'unknown command user remove; user has user list, user add'],
    [['--bogus'], "unknown option --bogus; valid options: --help (each command's own: <command> --help)"],
  ])('refuses %j with code 2 and the list of commands', (argv, problem) => {
    const e = exit(() => pickCommand(program, argv));
    expect(e.code).toBe(2);
    expect(e.text).toBe(
      `error: ${problem}\nusage: npm run cli -- <command> [options]\ncommands: user list, user add, keys`,
    );
  });
});
