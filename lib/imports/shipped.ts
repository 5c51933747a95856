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
  let files: string[];
  try {
    files = fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
  return files
    .filter((f) => f.endsWith('.json') && !f.includes('.sample.'))
    .map((f) => {
      const name = f.replace(/\.json$/, '');
      const sampleName = files.find((s) => s.startsWith(`${name}.sample.`)) ?? null;
      return {
        name,
        json: fs.readFileSync(path.join(dir, f), 'utf8'),
        sampleName,
        sample: sampleName ? fs.readFileSync(path.join(dir, sampleName), 'utf8') : null,
      };
    });
}
