import type { RootCause } from '@/db/schema';

export interface RootCauseRule {
  priority: number;
  errorCodePattern: string | null;
  messagePattern: string | null;
  category: RootCause;
}

function compile(pattern: string | null): RegExp | null {
  if (!pattern) return null;
  try {
    return new RegExp(pattern, 'i');
  } catch {
    return /$^/; // an invalid rule matches nothing rather than breaking ingest
  }
}

/** The first rule (by priority) whose patterns all match classifies the exception; else unclassified. */
export function makeClassifier(rules: RootCauseRule[]) {
  const compiled = [...rules]
    .sort((a, b) => a.priority - b.priority)
    .map((r) => ({ code: compile(r.errorCodePattern), msg: compile(r.messagePattern), category: r.category }))
    .filter((r) => r.code || r.msg);
  return (errorCode: string | null | undefined, errorMessage: string | null | undefined): RootCause => {
    for (const r of compiled) {
      if (r.code && !r.code.test(errorCode ?? '')) continue;
      if (r.msg && !r.msg.test(errorMessage ?? '')) continue;
      return r.category;
    }
    return 'unclassified';
  };
}
