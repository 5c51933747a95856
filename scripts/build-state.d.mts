/** Why a build is needed ("no build yet", "lib/x.ts is newer than the build"), or null. */
export function buildIsStale(root: string): string | null;
