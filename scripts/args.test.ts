import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * The scripts' command lines as a person meets them: real child processes, as `npm run <script> --`
 * runs them. None of these opens a database: help and refusals come before it.
 */
const root = path.resolve(__dirname, '..');

function run(script: string, args: string[], env: Record<string, string> = {}) {
  const tsx = path.join(root, 'node_modules/tsx/dist/cli.mjs');
  const r = spawnSync(process.execPath, [tsx, '--conditions=react-server', `scripts/${script}.ts`, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('npm run bench', () => {
  it('--help prints every option with its default and exits 0', () => {
    const r = run('bench', ['--help']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^usage: npm run bench -- \[options\]\n/);
    for (const option of [
      '--messages <N>',
      '--batch <N>',
      '--reconcile <N>',
      '--skip-rebuild',
      '--keep',
      '--ceiling',
    ]) {
      expect(r.out).toContain(option);
    }
    expect(r.out).toContain('(default 1000000)');
    expect(r.out).toContain('--server-node-args <flags>');
  });

  it('an unknown option or a bad value names itself and exits 2, without a stack', () => {
    const r = run('bench', ['--foo']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: unknown option --foo; valid options: --messages, --batch, --senders, .*--help\n/);
    expect(r.err).not.toMatch(/\n\s+at /);
    const bad = run('bench', ['--batch', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^error: --batch "many": expected a whole number ≥ 1\n/);
  });

  it('refuses a bad environment at start with the variable and what it expected', () => {
    const r = run('bench', ['--messages', '0'], { TEST_POSTGRES_URL: 'localhost:5432' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('TEST_POSTGRES_URL="localhost:5432": expected a postgres:// or postgresql:// URL');
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});

describe('npm run cli', () => {
  it('--help lists the commands, <command> --help the options of one; both exit 0', () => {
    const all = run('cli', ['--help']);
    expect(all.code).toBe(0);
    expect(all.out).toMatch(/^usage: npm run cli -- <command> \[options\]\n/);
    for (const c of [
      'api-key create <name>',
      'api-key list',
      'api-key revoke <name>',
      'user add <email>',
      'user list',
    ]) {
      expect(all.out).toContain(`  ${c}`);
    }
    const one = run('cli', ['user', 'add', '--help']);
    expect(one.code).toBe(0);
    expect(one.out).toMatch(/^usage: npm run cli -- user add <email> --role <role> \[--password <password>\]/);
    expect(one.out).toContain('(one of ops, finance, it, manager, admin)');
  });

  it('an unknown option names itself and the valid ones, exit 2', () => {
    const r = run('cli', ['user', 'add', 'kim@example.com', '--role', 'ops', '--rol', 'x']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: unknown option --rol; valid options: --role, --password, --name, --help\n/);
    expect(r.err).toContain('usage: npm run cli -- user add');
  });

  it('refuses a bad environment before it opens a database', () => {
    const r = run('cli', ['user', 'list'], { DATABASE_POOL_SIZE: 'abc' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('DATABASE_POOL_SIZE="abc": expected a whole number from 1 to 1000');
  });
});

describe('npm run simulate', () => {
  it('--help prints its options and exits 0; a scenario that is not one names the valid ones, exit 2', () => {
    const r = run('simulate', ['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('--seed');
    const bad = run('simulate', ['--scenario', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^error: --scenario "nope": expected one of retry_duplicate, /);
  });
});
