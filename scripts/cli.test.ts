import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type DbHandle } from '@/db';
import { hashApiKey, verifyApiKey } from '@/lib/auth/api-keys';
import { env } from '@/lib/env';

/** Runs the real CLI in a child process against this file's own database. */
const root = path.resolve(__dirname, '..');
let childEnv: NodeJS.ProcessEnv;
let cleanup: () => Promise<void>;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sh-cli-'));

beforeAll(async () => {
  const base = env().DATABASE_URL;
  if (base) {
    const name = `sh_cli_${randomBytes(4).toString('hex')}`;
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${name}`;
    childEnv = { ...process.env, DATABASE_URL: u.toString() };
    cleanup = async () => {
      const a = postgres(base, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    };
  } else {
    childEnv = { ...process.env, DATABASE_URL: '', PGLITE_DIR: path.join(dir, 'db') };
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  }
});
afterAll(async () => cleanup());

function cli(args: string[], input?: string) {
  const r = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/tsx/dist/cli.mjs'), '--conditions=react-server', 'scripts/cli.ts', ...args],
    {
      cwd: root,
      env: childEnv,
      input,
      encoding: 'utf8',
      // Each run starts tsx and opens a database: seconds alone, a minute or more on a busy machine.
      timeout: 240_000,
    },
  );
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function withDb<T>(fn: (h: DbHandle) => Promise<T>): Promise<T> {
  const h = await openDatabase({ url: childEnv.DATABASE_URL || undefined, dir: childEnv.PGLITE_DIR, purpose: 'test' });
  try {
    return await fn(h);
  } finally {
    await h.close();
  }
}

describe('npm run cli', { timeout: 300_000 }, () => {
  it('api-key create prints the key alone on its last line and stores only its hash', async () => {
    const r = cli(['api-key', 'create', 'middleware']);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    const key = lines[lines.length - 1];
    expect(key).toMatch(/^shk_[\w-]{20,}$/);
    await withDb(async (h) => {
      expect(await verifyApiKey(h.db, key)).toMatchObject({ name: 'middleware' });
      const stored = await h.db.query.apiKeys.findFirst();
      expect(stored?.keyHash).toBe(hashApiKey(key));
    });
    const list = cli(['api-key', 'list']);
    expect(list.code).toBe(0);
    expect(list.out).toContain('middleware');
    expect(list.out).not.toContain(key);
    const revoke = cli(['api-key', 'revoke', 'middleware']);
    expect(revoke.code).toBe(0);
    await withDb(async (h) => expect(await verifyApiKey(h.db, key)).toBeNull());
    expect(cli(['api-key', 'list']).out).toMatch(/middleware.*revoked/);
    expect(cli(['api-key', 'revoke', 'middleware']).code).toBe(1);
  });

  it('api-key create --scope sets the scopes (repeated or a comma list), refuses an unknown one, and list shows them', async () => {
    const last = (out: string) => out.trim().split('\n').pop()!;
    const plain = cli(['api-key', 'create', 'plain']);
    expect(plain.code).toBe(0);
    expect(plain.out).toContain('with scopes ingest,read');
    const repeated = cli(['api-key', 'create', 'reporting', '--scope', 'read', '--scope', 'admin']);
    expect(repeated.code).toBe(0);
    expect(repeated.out).toContain('with scopes read,admin');
    const listed = cli(['api-key', 'create', 'everything', '--scope', 'ingest,read,admin']);
    expect(listed.code).toBe(0);
    await withDb(async (h) => {
      expect((await verifyApiKey(h.db, last(plain.out)))?.scopes).toEqual(['ingest', 'read']);
      expect((await verifyApiKey(h.db, last(repeated.out)))?.scopes).toEqual(['read', 'admin']);
      expect((await verifyApiKey(h.db, last(listed.out)))?.scopes).toEqual(['ingest', 'read', 'admin']);
    });
    const bogus = cli(['api-key', 'create', 'bogus', '--scope', 'bogus']);
    expect(bogus.code).toBe(2);
    expect(bogus.err).toContain('--scope "bogus": expected one or more of ingest, read, admin');
    const list = cli(['api-key', 'list']);
    expect(list.out).toMatch(/plain\t\S+\tingest,read\t/);
    expect(list.out).toMatch(/reporting\t\S+\tread,admin\t/);
    expect(list.out).not.toContain('bogus');
  });

  it('user add takes the password from --password or standard input, and user list shows it', () => {
    expect(cli(['user', 'add', 'kim@example.com', '--role', 'ops', '--password', 'correct horse']).code).toBe(0);
    expect(cli(['user', 'add', 'ravi@example.com', '--role', 'finance'], 'battery staple\n').code).toBe(0);
    const list = cli(['user', 'list']);
    expect(list.out).toMatch(/kim@example\.com\s+ops/);
    expect(list.out).toMatch(/ravi@example\.com\s+finance/);
    const dup = cli(['user', 'add', 'kim@example.com', '--role', 'ops', '--password', 'correct horse']);
    expect(dup.code).toBe(1);
    expect(dup.err).toContain('exists already');
    const short = cli(['user', 'add', 'lee@example.com', '--role', 'ops', '--password', 'short']);
    expect(short.code).toBe(1);
    expect(short.err).toContain('password: at least 8 characters');
  });

  it('import-profile save validates and stores a mapping profile with who saved it; list shows them', async () => {
    const saved = cli(['import-profile', 'save', 'lib/imports/profiles/shiphero-inventory-change.json']);
    expect(saved.err).toBe('');
    expect(saved.code).toBe(0);
    expect(saved.out).toContain('Saved mapping profile "shiphero-inventory-change" (ndjson)');
    expect(cli(['import-profile', 'save', 'lib/imports/profiles/shiphero-inventory-change.json']).out).toContain(
      'Replaced mapping profile',
    );
    await withDb(async (h) => {
      const row = await h.db.query.importProfiles.findFirst();
      expect(row).toMatchObject({ name: 'shiphero-inventory-change', updatedBy: expect.stringMatching(/^cli:/) });
    });
    const list = cli(['import-profile', 'list']);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/shiphero-inventory-change\tndjson\tsaved \S+ by cli:/);

    const bad = path.join(dir, 'bad-profile.json');
    fs.writeFileSync(bad, JSON.stringify({ name: 'bad', input: 'xml', fields: { messageId: 'id' } }));
    const refused = cli(['import-profile', 'save', bad]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('The mapping profile is not valid.');
    expect(refused.err).toContain('input: must be csv, json or ndjson');
    expect(refused.err).toContain('fields.txType: required');
    fs.writeFileSync(bad, '{ not json');
    const notJson = cli(['import-profile', 'save', bad]);
    expect(notJson.code).toBe(1);
    expect(notJson.err).toContain('is not valid JSON');
    const missing = cli(['import-profile', 'save', path.join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('no such file');
  });

  it('import reads files from disk with free options; a dry run stores nothing; bad input exits 1 with the reason', async () => {
    const fixtures = 'lib/imports/fixtures/sap-idoc-status';
    const options = ['--timezone', 'Europe/Berlin', '--partner.WMSDC1=DC1', '--partner.WMSDC2', 'DC2'];
    const dry = cli([
      'import',
      'sap-idoc-status',
      `${fixtures}/EDIDC.txt`,
      `${fixtures}/EDIDS.txt`,
      ...options,
      '--dry-run',
    ]);
    expect(dry.err).toBe('');
    expect(dry.out).toContain('Checked (dry run, nothing stored): sap-idoc-status');
    const done = cli([
      'import',
      'sap-idoc-status',
      `${fixtures}/EDIDC.txt`,
      `${fixtures}/EDIDS.txt`,
      ...options,
      '--json',
    ]);
    expect(done.code).toBe(0);
    const result = JSON.parse(done.out);
    expect(result).toMatchObject({ format: 'sap-idoc-status', accepted: 7, updated: 0, unchanged: 0 });
    expect(result.rejected).toEqual([expect.objectContaining({ file: 'EDIDS.txt', messageId: '0000000000799999' })]);
    await withDb(async (h) => {
      const run = await h.db.query.importRuns.findFirst();
      expect(run).toMatchObject({ via: 'cli', source: expect.stringMatching(/^cli:/), accepted: 7, rejected: 1 });
      expect(run!.options).toMatchObject({ timezone: 'Europe/Berlin', 'partner.WMSDC2': 'DC2' });
    });
    const again = cli(['import', 'sap-idoc-status', `${fixtures}/EDIDC.txt`, `${fixtures}/EDIDS.txt`, ...options]);
    expect(again.out).toMatch(/Import #\d+: .* 0 accepted, 0 updated, 7 unchanged, 1 rejected/);
    expect(again.out).toContain('rejected EDIDS.txt row');

    const unknown = cli(['import', 'sap-idoc-status', `${fixtures}/EDIDC.txt`, '--map.WMMBXY', 'teleport']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('map.WMMBXY');
    expect(cli(['import', 'frobnicate', `${fixtures}/EDIDC.txt`]).err).toContain('no import format "frobnicate"');
    expect(cli(['import', 'sap-idoc-status', path.join(dir, 'nope.txt')]).code).toBe(2);
    expect(cli(['import', 'sap-idoc-status']).err).toContain('missing <file…>');
    expect(cli(['import', '--help']).out).toContain('--dry-run');
  });

  it('alerts apply prints what changed, all or nothing with the paths of bad fields; export masks secrets', () => {
    const file = path.join(dir, 'alerts.json');
    const config = {
      channels: [{ id: 'hook', type: 'webhook', url: 'http://127.0.0.1:9/h', secret: 'shh' }],
      rules: [
        { id: 'fail', name: 'Failures', kind: 'kpi', kpi: 'failedMessageRate', threshold: 0.1, channels: ['hook'] },
      ],
    };
    fs.writeFileSync(file, JSON.stringify(config));
    const applied = cli(['alerts', 'apply', file]);
    expect(applied.code, applied.err).toBe(0);
    expect(applied.out).toContain('created\tchannel:hook');
    expect(applied.out).toContain('2 created, 0 updated, 0 unchanged');
    const bad = path.join(dir, 'bad-alerts.json');
    fs.writeFileSync(
      bad,
      JSON.stringify({ ...config, rules: [...config.rules, { ...config.rules[0], id: 'x', threshold: 'high' }] }),
    );
    const refused = cli(['alerts', 'apply', bad]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('rules[1].threshold: expected a number');
    const again = cli(['alerts', 'apply', file]);
    expect(again.out).toContain('0 created, 0 updated, 2 unchanged');
    const masked = JSON.parse(cli(['alerts', 'export']).out) as { channels: { secret: string }[]; rules: unknown[] };
    expect(masked.channels[0].secret).toBe('********');
    expect(masked.rules).toHaveLength(1);
    const open = JSON.parse(cli(['alerts', 'export', '--with-secrets']).out) as { channels: { secret: string }[] };
    expect(open.channels[0].secret).toBe('shh');
    expect(cli(['alerts', 'apply']).code).toBe(2);
    expect(cli(['alerts', 'apply', path.join(dir, 'nope.json')]).code).toBe(2);
  });

  it('bad arguments get the usage and exit code 2', () => {
    for (const args of [
      [],
      ['frobnicate'],
      ['api-key', 'create'],
      ['user', 'add', 'x@y.z', '--role', 'boss'],
      ['user', 'list', '--bogus'],
      ['api-key', 'list', 'extra'],
    ]) {
      const r = cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toContain('usage: npm run cli');
    }
  });

  it('retention: set a kind (refused by field when wrong), preview as one JSON object, run with progress', () => {
    expect(cli(['retention', 'set', 'messages', '200'])).toMatchObject({
      code: 0,
      out: 'Messages and their payloads (messages): kept 200 days.\n',
    });
    const bad = cli(['retention', 'set', 'rollups', '100']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('rollups: must be kept at least as long as messages (200)');
    expect(cli(['retention', 'set', 'quarantine', 'forever']).code).toBe(0);
    expect(cli(['retention', 'set', 'payloads', '3']).code).toBe(2);
    const preview = cli(['retention', 'preview', '--json']);
    expect(preview.code).toBe(0);
    const last = JSON.parse(preview.out.trim().split('\n').at(-1)!);
    expect(Object.keys(last)).toEqual(['messages', 'quarantine', 'snapshots', 'differences', 'audit', 'alerts']);
    expect(last.messages).toMatchObject({ days: 200, partitions: [], rows: 0, bytes: 0 });
    expect(last.quarantine).toMatchObject({ days: null, cutoff: null });
    const run = cli(['retention', 'run']);
    expect(run.code).toBe(0);
    // The log is partitioned by month and holds nothing that old; a table not partitioned is skipped, never deleted from.
    expect(run.out).toMatch(/^messages: nothing before \d{4}-\d\d-\d\dT/m);
    expect(run.out).toContain(
      'differences: reconciliation_differences is not partitioned; skipped (never deleted row by row)',
    );
    expect(run.out).toMatch(/retention run done in [\d.]+ s/);
  });

  it.runIf(!env().DATABASE_URL)(
    'refuses an embedded database that another process holds, with a clear error',
    async () => {
      await withDb(async () => {
        const r = cli(['user', 'list']);
        expect(r.code).toBe(1);
        expect(r.err).toMatch(/in use by another process \(pid \d+/);
      });
      expect(cli(['user', 'list']).code).toBe(0); // free again once the holder closed it
    },
  );
});
