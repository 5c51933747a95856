/**
 * The names a route module exports by itself: `export const GET`, `export async function POST`,
 * `export { x as GET }` — not the refusals it destructures from lib/http/methods.ts
 * (`export const { PUT, … } = otherMethods(…)`). Read from the file's text, by the route-method
 * test and by the e2e suite's map of the app.
 */
export function exportedNames(source: string): Set<string> {
  const found = new Set<string>();
  for (const m of source.matchAll(/export\s+(?:const|let|async\s+function|function)\s+([A-Z]+)\b/g)) found.add(m[1]);
  for (const m of source.matchAll(/export\s*\{([^}]*)\}/g))
    for (const part of m[1].split(','))
      found.add(
        part
          .trim()
          .split(/\s+as\s+/)
          .pop()!
          .trim(),
      );
  return found;
}
