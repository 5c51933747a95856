import { Table, Td } from '@/components/ui/table';
import { TableCard } from '@/components/ui/table-card';
import { Time } from '@/components/ui/time';
import type { SavedProfile } from '@/lib/imports/profile-store';

/** The saved mapping profiles: name, input, what they map, who saved them last. */
export function SavedProfilesCard({ profiles }: { profiles: SavedProfile[] }) {
  return (
    <TableCard
      title="Saved profiles"
      testId="saved-profiles"
      rows={profiles}
      empty={{
        title: 'No profile saved yet',
        text: (
          <>
            Save one above, or with <code>npm run cli -- import-profile save &lt;file&gt;</code>.
          </>
        ),
      }}
    >
      <Table caption="Saved mapping profiles" columns={['Name', 'Input', 'Fields', 'Saved by', 'Saved']}>
        <tbody>
          {profiles.map((p) => (
            <tr key={p.name} data-testid="saved-profile">
              <Td className="font-medium">{p.name}</Td>
              <Td>{p.profile.input}</Td>
              <Td className="text-xs">{Object.keys(p.profile.fields).join(', ')}</Td>
              <Td className="text-xs">{p.updatedBy ?? '—'}</Td>
              <Td>
                <Time iso={p.updatedAt.toISOString()} />
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </TableCard>
  );
}
