/** The ready mapping profiles shipped in `lib/imports/profiles/`, each with its sample file, to load and adapt. */
import fs from 'node:fs';
import path from 'node:path';

export interface ShippedProfile {
  name: string;
  /** The profile as written in the repository. */
  json: string;
  sampleName: string | null;
  sample: string | null;
}

const DIR = path.join(process.cwd(), 'lib', 'imports', 'profiles');

export function shippedProfiles(dir = DIR): ShippedProfile[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((f) => f.endsWith('.json') && !f.includes('.sample.'));
  } catch {
    return [];
  }
  return names.sort().map((f) => {
    const base = f.replace(/\.json$/, '');
    const sampleName = fs.readdirSync(dir).find((s) => s.startsWith(`${base}.sample.`)) ?? null;
    return {
      name: base,
      json: fs.readFileSync(path.join(dir, f), 'utf8'),
      sampleName,
      sample: sampleName ? fs.readFileSync(path.join(dir, sampleName), 'utf8') : null,
    };
  });
}
