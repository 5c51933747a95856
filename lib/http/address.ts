/**
 * Parts of a request's address that no query can use: a NUL character (`%00`), which Postgres
 * refuses in any text ("invalid byte sequence for encoding UTF8: 0x00"), so a filter holding one
 * failed its page or export with a 500; and a path segment whose percent-escapes do not decode
 * (`%ZZ`, `%C0%AF`, a lone surrogate `%ED%A0%80`), which Next's router failed on with a plain-text
 * 500 before any handler ran (proxy.ts answers it). Returns one reason per part ("facility: …",
 * "path: …"), empty when the address is fine. A query value's malformed escape is no reason:
 * URLSearchParams reads it as written.
 */
export function unusableAddressParts(url: URL): string[] {
  const out: string[] = [];
  let path = url.pathname;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    const bad = url.pathname.split('/').find((seg) => !decodes(seg)) ?? url.pathname;
    out.push(`path: holds a malformed percent-escape (${bad.slice(0, 60)})`);
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

function decodes(segment: string): boolean {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}

export const UNUSABLE_ADDRESS =
  'The address holds a NUL character (%00) or a malformed percent-escape (such as %ZZ), which no filter or ' +
  'identifier can contain; fix it and try again.';
