import Link from 'next/link';
import { BarNotice } from '@/components/ui/bar-notice';
import { FacilityField, fieldClass, Labelled } from '@/components/ui/field';
import { FilterForm } from '@/components/ui/filter-form';
import { periodQuery, type ReviewPeriod } from '@/lib/review/period';
import { utcDay } from '@/lib/time';

/**
 * The period and facility of a review as a plain GET form (they land in the URL and work without
 * JavaScript), with links to the period before and after.
 */
export function ReviewBar({ period, facilities }: { period: ReviewPeriod; facilities: string[] }) {
  // The URL parameter names the period: day, week or month.
  const noun = period.param;
  const today = utcDay(new Date());
  const facility = period.facility ? `?facility=${encodeURIComponent(period.facility)}` : '';
  return (
    <div className="space-y-2">
      <nav aria-label="Reviews" className="flex gap-1 text-sm" data-testid="review-tabs">
        {(['daily', 'weekly', 'monthly'] as const).map((c) => (
          <Link
            key={c}
            href={`/review/${c}${facility}`}
            aria-current={c === period.cadence ? 'page' : undefined}
            className={
              c === period.cadence
                ? 'rounded-md bg-slate-800 px-3 py-1 font-medium text-white'
                : 'rounded-md px-3 py-1 text-blue-700 hover:bg-slate-100'
            }
          >
            {c === 'daily' ? 'Daily' : c === 'weekly' ? 'Weekly' : 'Monthly'}
          </Link>
        ))}
      </nav>
      <FilterForm
        bar
        submit="Show"
        testId="review-bar"
        after={
          <>
            <nav aria-label={`Other ${noun}s`} className="ml-auto flex gap-3 text-sm">
              <Link
                href={`?${periodQuery(period, { value: period.previous })}`}
                className="text-blue-700 hover:underline"
              >
                ← Previous {noun}
              </Link>
              {period.next ? (
                <Link
                  href={`?${periodQuery(period, { value: period.next })}`}
                  className="text-blue-700 hover:underline"
                >
                  Next {noun} →
                </Link>
              ) : (
                <span className="text-slate-500">Next {noun} →</span>
              )}
            </nav>
            <BarNotice text={period.notice} testId="review-notice" />
          </>
        }
      >
        <Labelled
          id="rv-period"
          label={
            period.cadence === 'monthly'
              ? 'Month (UTC)'
              : period.cadence === 'weekly'
                ? 'Any day of the week (UTC)'
                : 'Day (UTC)'
          }
        >
          <input
            id="rv-period"
            type={period.cadence === 'monthly' ? 'month' : 'date'}
            name={period.param}
            defaultValue={period.value}
            max={period.cadence === 'monthly' ? today.slice(0, 7) : today}
            className={fieldClass}
          />
        </Labelled>
        <FacilityField id="rv-facility" value={period.facility} facilities={facilities} />
      </FilterForm>
    </div>
  );
}
