/**
 * Keeps docs/architecture.md true: every import of the project's own code goes where that file
 * allows, every folder has its paragraph there, and no source file grows past 400 lines.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const SKIP_DIRS = new Set(['node_modules', '.git', '.next', '.data', 'test-results', 'playwright-report', 'docs']);
const SOURCE = /\.(ts|tsx|mts|mjs)$/;
const TEST = /\.test\.tsx?$|\.spec\.ts$/;
const MAX_LINES = 400;
/** Files exempt from the size rule: the drizzle schema is one table per block, read as a whole. */
const SIZE_EXEMPT = new Set(['db/schema.ts']);

function sourceFiles(dir = root): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name) && !(dir === root && e.name.startsWith('.')))
        out.push(...sourceFiles(path.join(dir, e.name)));
    } else if (SOURCE.test(e.name) && e.name !== 'next-env.d.ts') {
      out.push(path.relative(root, path.join(dir, e.name)));
    }
  }
  return out;
}

/** The rules of docs/architecture.md: unit → the units it may import. */
function readRules(): Map<string, Set<string>> {
  const text = fs.readFileSync(path.join(root, 'docs/architecture.md'), 'utf8');
  const rules = new Map<string, Set<string>>();
  let unit: string | null = null;
  let everyone: string[] = [];
  for (const line of text.split('\n')) {
    const any = /^Any part may import: (.*)$/.exec(line);
    if (any) everyone = [...any[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    const heading = /^### (\S+)\s*$/.exec(line);
    if (heading) unit = heading[1];
    const may = /^May import: (.*)$/.exec(line);
    if (may && unit) {
      const list = may[1].trim() === 'nothing' ? [] : [...may[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]);
      rules.set(unit, new Set(list));
      unit = null;
    }
  }
  for (const [u, allowed] of rules) for (const e of everyone) if (e !== u) allowed.add(e);
  return rules;
}

/** The unit a repository path belongs to: `lib/<folder>`, `lib/<file>.ts`, a top folder, or a root file. */
function unitOf(file: string, units: Set<string>): string | null {
  const parts = file.split('/');
  if (parts[0] === 'lib') return parts.length > 2 ? `lib/${parts[1]}` : file;
  const candidates = [file, parts[0]];
  for (const c of candidates) if (units.has(c)) return c;
  return parts.length === 1 ? file : parts[0];
}

/** Where an import specifier points inside the project, as a path with its extension, or null. */
function resolve(from: string, spec: string): string | null {
  let target: string;
  if (spec.startsWith('@/')) target = spec.slice(2);
  else if (spec.startsWith('.')) target = path.normalize(path.join(path.dirname(from), spec));
  else return null;
  for (const ext of ['', '.ts', '.tsx', '.mts', '.mjs', '/index.ts', '/index.tsx']) {
    if (fs.existsSync(path.join(root, target + ext)) && fs.statSync(path.join(root, target + ext)).isFile())
      return target + ext;
  }
  return target;
}

const IMPORT =
  /(?:^|\s)(?:import|export)\s[^'"`]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;

const files = sourceFiles();
const rules = readRules();
const units = new Set(rules.keys());

describe('docs/architecture.md', () => {
  it('names every folder and root file of the project', () => {
    const missing = new Set<string>();
    for (const f of files) {
      if (TEST.test(f) || /\.config\.m?[jt]s$/.test(f)) continue;
      const u = unitOf(f, units);
      if (u && !units.has(u)) missing.add(u);
    }
    expect([...missing].sort()).toEqual([]);
  });

  it('has no cycle among the folders it allows', () => {
    const seen = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (u: string, trail: string[]) => {
      if (seen.get(u) === 'done') return;
      if (seen.get(u) === 'open') return void cycles.push([...trail, u].join(' → '));
      seen.set(u, 'open');
      for (const v of rules.get(u) ?? []) visit(v, [...trail, u]);
      seen.set(u, 'done');
    };
    for (const u of units) visit(u, []);
    expect(cycles).toEqual([]);
  });

  it('allows every import the code makes (one way only)', () => {
    const wrong: string[] = [];
    for (const f of files) {
      if (TEST.test(f) || /\.config\.m?[jt]s$/.test(f)) continue;
      const from = unitOf(f, units)!;
      const allowed = rules.get(from) ?? new Set();
      const src = fs.readFileSync(path.join(root, f), 'utf8');
      for (const m of src.matchAll(IMPORT)) {
        const target = resolve(f, m[1] ?? m[2] ?? m[3]);
        if (target === null) continue;
        const to = unitOf(target, units)!;
        if (to !== from && !allowed.has(to)) wrong.push(`${f} imports ${target} (${from} may not import ${to})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it(`keeps every source file under ${MAX_LINES} lines (the schema, migrations and tests aside)`, () => {
    const long = files
      .filter((f) => !TEST.test(f) && !SIZE_EXEMPT.has(f) && !f.startsWith('db/migrations/'))
      .map((f) => ({ f, n: fs.readFileSync(path.join(root, f), 'utf8').split('\n').length - 1 }))
      .filter((x) => x.n > MAX_LINES)
      .map((x) => `${x.f}: ${x.n} lines`);
    expect(long).toEqual([]);
  });
});
