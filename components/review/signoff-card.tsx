import { SignoffForm } from '@/components/review/signoff-form';
import { Badge } from '@/components/ui/badge';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { Time } from '@/components/ui/time';
import type { ReviewPeriod } from '@/lib/review/period';
import type { Signoff } from '@/lib/review/signoff';
import type { ActionState as SignoffState } from '@/lib/http/action-state';

/** The review's sign-off once recorded (who, role, when, notes); until then, the form to sign it off. */
export function SignoffCard({
  period,
  signoff,
  action,
}: {
  period: ReviewPeriod;
  signoff: Signoff | null;
  action: (s: SignoffState, f: FormData) => Promise<SignoffState>;
}) {
  return (
    <Card>
      <CardHeader
        title="Sign-off"
        description={`One sign-off per ${period.param} and facility: who ran the review, when, and what was decided.`}
      />
      <CardBody>
        {signoff ? (
          <div data-testid="signoff" className="text-sm">
            <p>
              <Badge tone="ok">Signed off</Badge> by <strong>{signoff.signedByName ?? signoff.signedBy}</strong>
              {signoff.role ? <span className="text-slate-500"> ({signoff.role})</span> : null} at{' '}
              <Time iso={signoff.at} />
            </p>
            {signoff.notes ? (
              <p className="mt-2 whitespace-pre-wrap rounded bg-slate-50 px-3 py-2 text-slate-700">{signoff.notes}</p>
            ) : (
              <p className="mt-2 text-slate-500">No notes.</p>
            )}
          </div>
        ) : (
          <SignoffForm action={action} cadence={period.cadence} period={period.key} facility={period.facility} />
        )}
      </CardBody>
    </Card>
  );
}
