/** The origins that may show the wall screen (/tiles) in a frame (lib/admin/framing.ts). */
import 'server-only';
import { z } from 'zod';
import { defineList } from '@/lib/admin/list';
import { keyPart } from '@/lib/admin/lists/fields';
import {
  addFramingOrigin,
  frameOrigin,
  loadFramingOrigins,
  removeFramingOrigin,
  type FramingOrigin,
} from '@/lib/admin/framing';

export const wallFramingList = defineList({
  name: 'wall-framing',
  title: 'Wall screen framing',
  description:
    'Sites that may show the wall screen (/tiles) inside a frame, such as a signage portal: each an origin like ' +
    'https://wall.example.com, without a path. No other page may be framed; with none listed, /tiles may not be ' +
    'either.',
  caption: 'Origins allowed to frame the wall screen',
  empty: 'No site may frame the wall screen.',
  rowTestId: 'wall-framing-row',
  capability: 'admin',
  load: (db): Promise<FramingOrigin[]> => loadFramingOrigins(db),
  rowKey: (o) => o.origin,
  columns: [{ key: 'origin', header: 'Origin', className: 'font-mono text-xs', cell: (o) => o.origin }],
  fields: ['origin'],
  csvFile: 'wall-framing.csv',
  write: {
    input: z.object({ origin: frameOrigin }),
    notSaved: 'The origin was not added.',
    save: (db, { origin }) => addFramingOrigin(db, origin),
    said: ({ origin }, { created }) =>
      created ? `${origin} may now frame the wall screen.` : `${origin} was listed already.`,
    form: {
      name: 'wall-framing',
      submit: 'Allow origin',
      fields: [
        { name: 'origin', label: 'Origin', placeholder: 'https://wall.example.com', className: 'w-72 font-mono' },
      ],
    },
  },
  remove: {
    key: z.object({ origin: keyPart() }),
    which: 'Say which origin to remove (?origin=https://…).',
    run: (db, k) => removeFramingOrigin(db, k.origin),
    values: (o) => ({ origin: o.origin }),
    label: (o) => `Stop ${o.origin} framing the wall screen`,
  },
  api: { key: 'origins', write: 'POST', hint: '{ "origin": "https://wall.example.com" }' },
});
