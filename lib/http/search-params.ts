/**
 * A page's URL query in one shape. Next hands a page `searchParams` with an array for a repeated
 * key and a route handler a `URLSearchParams`; the filters parse one plain record of strings, with
 * the first value of a repeated key (what a page shows and what its CSV export reads agree).
 */

/** A page's `searchParams`, as Next resolves them. */
export type RawParams = Record<string, string | string[] | undefined>;
/** One value per key. */
export type FlatParams = Record<string, string | undefined>;

/** The query as one string per key: the first value of a repeated key. */
export function flatParams(params: RawParams | URLSearchParams): FlatParams {
  const flat: FlatParams = {};
  if (params instanceof URLSearchParams) {
    for (const [k, v] of params) if (!(k in flat)) flat[k] = v;
    return flat;
  }
  for (const [k, v] of Object.entries(params)) flat[k] = Array.isArray(v) ? v[0] : v;
  return flat;
}

/** `?query` of the current parameters with some changed (null, undefined or '' removes one). */
export function withParams(current: FlatParams, changes: Record<string, string | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...current, ...changes })) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '?';
}
