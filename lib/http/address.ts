/**
 * Parts of a request's address that no query can use: a NUL character (`%00`), which Postgres
 * refuses in any text ("invalid byte sequence for encoding UTF8: 0x00"), so a filter holding one
 * failed its page or export with a 500. Returns one reason per part ("facility: …", "path: …"),
 * empty when the address is fine.
 */
export function unusableAddressParts(url: URL): string[] {
  const out: string[] = [];
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    path = url.pathname; // malformed escapes reach the route as written, and match nothing there
  }
  if (path.includes('\u0000')) out.push('path: holds a NUL character (%00)');
  const named = new Set<string>();
  for (const [name, value] of url.searchParams) {
    if ((name.includes('\u0000') || value.includes('\u0000')) && !named.has(name)) {
      named.add(name);
      out.push(`${name.replace(/\u0000/g, '\\0')}: holds a NUL character (%00)`);
    }
  }
  return out;
}

export const UNUSABLE_ADDRESS =
  'The address holds a NUL character (%00), which no filter or identifier can contain; remove it and try again.';
