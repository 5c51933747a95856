/**
 * An exception's group: txType + errorCode + the error message with the parts that vary per
 * occurrence masked (quoted values, identifiers with digits, numbers), so "SKU-10023 not found"
 * and "SKU-77 not found" fall in one group.
 */
export function maskErrorMessage(message: string | null | undefined): string {
  if (!message) return '';
  return message
    .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, '<v>') // quoted values
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>') // uuids
    .replace(/\b[\w.:/-]*\d[\w.:/-]*\b/g, (tok) => (/^\d+([.,]\d+)?$/.test(tok) ? '<n>' : '<id>')) // tokens with digits
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

export function fingerprint(
  txType: string,
  errorCode: string | null | undefined,
  errorMessage: string | null | undefined,
): string {
  return [txType, (errorCode ?? '').trim().toUpperCase(), maskErrorMessage(errorMessage)].join('|');
}
