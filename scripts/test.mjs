#!/usr/bin/env node
// `npm test`: every test. Unit and database tests (vitest) on the embedded PGlite, again on a real
// Postgres when TEST_POSTGRES_URL (or DATABASE_URL) names one (each test file gets a fresh database
// there, dropped after), then a production build, the Playwright suite in Chromium, and the load
// suite (scripts/load/: the built server under concurrent senders, on PGlite and, with a restart of that
// Postgres midway, on TEST_POSTGRES_URL).
// Ends with one line of totals: "N passed, M failed".
// Flags: --unit (vitest only), --e2e (build + Playwright only); SKIP_BUILD=1 reuses the last build.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const bin = (n) => path.join(root, 'node_modules', '.bin', n);
const args = new Set(process.argv.slice(2));
const unitOnly = args.has('--unit');
const e2eOnly = args.has('--e2e');
const pgUrl = process.env.TEST_POSTGRES_URL ?? process.env.DATABASE_URL;
const out = path.join(root, 'test-results');
fs.mkdirSync(out, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
const suites = [];
let broken = false;

function run(label, cmd, cmdArgs, env) {
  console.log(`\n=== ${label}`);
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) broken = true;
  return r.status ?? 1;
}

function vitest(label, env, file, extra = []) {
  const status = run(
    label,
    bin('vitest'),
    ['run', ...extra, '--reporter=default', '--reporter=json', `--outputFile=${file}`],
    env,
  );
  try {
    const j = JSON.parse(fs.readFileSync(file, 'utf8'));
    const s = {
      label,
      passed: j.numPassedTests,
      failed: j.numFailedTests + (status !== 0 && !j.numFailedTests ? 1 : 0),
      skipped: j.numPendingTests + j.numTodoTests,
    };
    suites.push(s);
  } catch {
    suites.push({ label, passed: 0, failed: 1, skipped: 0 });
  }
  return status;
}

if (!e2eOnly) {
  vitest('vitest on PGlite (embedded)', { DATABASE_URL: '' }, path.join(out, 'vitest-pglite.json'));
  if (pgUrl)
    vitest(
      `vitest on Postgres (${new URL(pgUrl).host})`,
      { DATABASE_URL: pgUrl },
      path.join(out, 'vitest-postgres.json'),
    );
  else console.log('\n(no TEST_POSTGRES_URL or DATABASE_URL: database tests ran on PGlite only)');
}

if (!unitOnly) {
  const env = { DATABASE_URL: '' };
  if (process.env.SKIP_BUILD !== '1') {
    if (run('next build', bin('next'), ['build'], env) !== 0) {
      suites.push({ label: 'next build', passed: 0, failed: 1, skipped: 0 });
    }
  }
  if (!broken || process.env.SKIP_BUILD === '1') {
    const file = path.join(out, 'e2e-results.json');
    fs.rmSync(file, { force: true });
    run('Playwright (Chromium)', bin('playwright'), ['test', '--reporter=list,json'], {
      ...env,
      PLAYWRIGHT_JSON_OUTPUT_NAME: file,
    });
    try {
      const s = JSON.parse(fs.readFileSync(file, 'utf8')).stats;
      suites.push({ label: 'Playwright', passed: s.expected + s.flaky, failed: s.unexpected, skipped: s.skipped });
    } catch {
      suites.push({ label: 'Playwright', passed: 0, failed: 1, skipped: 0 });
    }
    // The load suite starts the built server itself, on PGlite and on a database of its own on
    // TEST_POSTGRES_URL (restarting that Postgres midway when it is this machine's).
    vitest(
      'load with a fault (built server)',
      { DATABASE_URL: '', ...(pgUrl ? { TEST_POSTGRES_URL: pgUrl } : {}) },
      path.join(out, 'load-fault.json'),
      ['--config', 'scripts/load/vitest.config.mts'],
    );
  }
}

console.log('\n=== totals');
for (const s of suites) {
  console.log(`${s.label}: ${s.passed} passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ''}`);
  totals.passed += s.passed;
  totals.failed += s.failed;
  totals.skipped += s.skipped;
}
if (broken && totals.failed === 0) totals.failed = 1; // a runner that crashed counts as a failure
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed || broken ? 1 : 0);
