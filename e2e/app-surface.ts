/**
 * What the app exposes, read from its source at run time: every route handler with its exported
 * methods, every page, every server action. The fuzz and the authorisation matrix start from this
 * list, so a route, page or action added later is covered without anyone remembering to add it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { exportedNames } from '../lib/testing/route-exports';

const APP = 'app';

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? walk(p) : [p];
  });
}

const files = () => walk(APP).map((f) => f.split(path.sep).join('/'));

/** `app/(dashboard)/exceptions/[id]/page.tsx` → `/exceptions/[id]`: route groups dropped. */
function urlPath(file: string): string {
  const parts = file.split('/').slice(1, -1);
  return '/' + parts.filter((p) => !/^\(.*\)$/.test(p)).join('/');
}

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/**
 * The methods a route module implements: `export const GET`, `export async function POST`, `export { x as GET }`.
 * Not the refusals it destructures from lib/http/methods.ts (`export const { PUT, … } = otherMethods(…)`):
 * those answer 405 (e2e/method-not-allowed.spec.ts) and are no route of their own.
 */
export function exportedMethods(source: string): HttpMethod[] {
  const found = exportedNames(source);
  return HTTP_METHODS.filter((h) => found.has(h));
}

export interface RouteHandler {
  file: string;
  /** `/api/v1/imports/[format]` */
  path: string;
  method: HttpMethod;
  /** `POST /api/v1/imports/[format]`, the key of ROUTE_POLICY */
  key: string;
  /** The dynamic segments' names, in order (`format`, `...nextauth`). */
  params: string[];
}

export function routeHandlers(): RouteHandler[] {
  return files()
    .filter((f) => /\/route\.(ts|tsx|js)$/.test(f))
    .sort()
    .flatMap((file) => {
      const p = urlPath(file);
      const params = [...p.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]);
      return exportedMethods(fs.readFileSync(file, 'utf8')).map((method) => ({
        file,
        path: p,
        method,
        key: `${method} ${p}`,
        params,
      }));
    });
}

/** Every page: `/exceptions/[id]`, `/login`, … */
export function pages(): { file: string; path: string }[] {
  return files()
    .filter((f) => /\/page\.(tsx|ts|jsx|js)$/.test(f))
    .sort()
    .map((file) => ({ file, path: urlPath(file) }));
}

/** Every exported function of every `'use server'` module: `app/(dashboard)/admin/actions.ts#saveListRow`. */
export function serverActions(): { file: string; name: string; key: string }[] {
  const roots = ['app', 'lib', 'components'].filter((d) => fs.existsSync(d));
  return roots
    .flatMap((r) => walk(r).map((f) => f.split(path.sep).join('/')))
    .filter((f) => /\.(ts|tsx)$/.test(f))
    .sort()
    .flatMap((file) => {
      const src = fs.readFileSync(file, 'utf8');
      if (!/^\s*(?:\/\/[^\n]*\n|\/\*[\s\S]*?\*\/\s*)*['"]use server['"]/.test(src)) return [];
      return [...src.matchAll(/export\s+(?:const|let|async\s+function|function)\s+(\w+)/g)].map((m) => ({
        file,
        name: m[1],
        key: `${file}#${m[1]}`,
      }));
    });
}

/** A path with its `[param]` segments filled by `fill(name)`. */
export function fillPath(p: string, fill: (param: string) => string): string {
  return p.replace(/\[([^\]]+)\]/g, (_, name: string) => fill(name));
}
