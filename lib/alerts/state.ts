/**
 * The alert state machine of SPEC 9 as a pure function: one evaluation of one alert (its state
 * before, the rule's value now, whether a silence matches) gives its state after, the transitions
 * to record and the events to send. No clock and no database: lib/alerts/evaluate.ts stores what
 * this returns, and state.property.test.ts checks it against a reference model.
 *
 *   normal → pending (condition holds, pendingFor > 0) → firing (held pendingFor) → normal (clear)
 *
 * The condition is `value op threshold`; a firing alert resolves only when the value is back on
 * the other side of `resolveThreshold` (hysteresis: a value in between changes nothing).
 */
import type { AlertEvent, AlertState } from '@/db/schema';

export interface RuleTiming {
  op: '>' | '<';
  threshold: number;
  /** null: the threshold itself. */
  resolveThreshold: number | null;
  pendingForS: number;
  repeatEveryS: number | null;
  escalateAfterS: number | null;
  notifyResolved: boolean;
}

/** An alert's state between evaluations; times in milliseconds since the epoch. */
export interface AlertSnapshot {
  state: AlertState;
  value: number | null;
  pendingSince: number | null;
  startedAt: number | null;
  resolvedAt: number | null;
  acknowledgedAt: number | null;
  /** The last firing or repeat notification to the rule's channels: repeatEvery counts from it. */
  lastNotifiedAt: number | null;
  escalatedAt: number | null;
  /** Set when a silence held an event back: the alert notifies 'firing' when it ends, if still firing. */
  silencedEvent: AlertEvent | null;
}

export interface StepInput {
  now: number;
  /** The rule's value now; null when there is none (no data): it neither breaches nor clears. */
  value: number | null;
  /** A silence matches this alert now. */
  silenced: boolean;
}

export type StepEvent = { event: Exclude<AlertEvent, 'acknowledged'>; suppressed: boolean };
export interface StepTransition {
  from: AlertState;
  to: AlertState;
}
export interface StepResult {
  next: AlertSnapshot;
  transitions: StepTransition[];
  events: StepEvent[];
}

export const NEW_ALERT: AlertSnapshot = {
  state: 'normal',
  value: null,
  pendingSince: null,
  startedAt: null,
  resolvedAt: null,
  acknowledgedAt: null,
  lastNotifiedAt: null,
  escalatedAt: null,
  silencedEvent: null,
};

export const breaches = (rule: RuleTiming, v: number | null) =>
  v !== null && (rule.op === '>' ? v > rule.threshold : v < rule.threshold);
export const clears = (rule: RuleTiming, v: number | null) => {
  if (v === null) return false;
  const at = rule.resolveThreshold ?? rule.threshold;
  return rule.op === '>' ? v <= at : v >= at;
};

export function step(rule: RuleTiming, prev: AlertSnapshot, input: StepInput): StepResult {
  const { now, value, silenced } = input;
  const s: AlertSnapshot = { ...prev, value };
  const transitions: StepTransition[] = [];
  const events: StepEvent[] = [];
  const emit = (event: StepEvent['event']) => {
    events.push({ event, suppressed: silenced });
    if (silenced && event !== 'resolved') s.silencedEvent = 'firing';
  };
  const move = (to: AlertState) => {
    transitions.push({ from: s.state, to });
    s.state = to;
  };
  const fire = () => {
    move('firing');
    Object.assign(s, {
      startedAt: now,
      resolvedAt: null,
      acknowledgedAt: null,
      escalatedAt: null,
      silencedEvent: null,
      lastNotifiedAt: now,
    });
    emit('firing');
  };

  if (prev.state === 'normal') {
    if (breaches(rule, value)) {
      if (rule.pendingForS <= 0) fire();
      else {
        move('pending');
        s.pendingSince = now;
      }
    }
  } else if (prev.state === 'pending') {
    if (!breaches(rule, value)) {
      move('normal');
      s.pendingSince = null;
    } else if (now - (prev.pendingSince ?? now) >= rule.pendingForS * 1000) fire();
  } else if (clears(rule, value)) {
    move('normal');
    s.resolvedAt = now;
    s.pendingSince = null;
    s.silencedEvent = null;
    if (rule.notifyResolved) emit('resolved');
  } else if (prev.acknowledgedAt !== null) {
    // Acknowledged: quiet until it resolves, whatever a silence held back.
    s.silencedEvent = null;
  } else {
    if (prev.silencedEvent && !silenced) {
      s.silencedEvent = null;
      s.lastNotifiedAt = now;
      emit('firing');
    }
    if (
      rule.escalateAfterS !== null &&
      prev.escalatedAt === null &&
      now - (prev.startedAt ?? now) >= rule.escalateAfterS * 1000
    ) {
      s.escalatedAt = now;
      emit('escalated');
    }
    if (rule.repeatEveryS !== null && now - (s.lastNotifiedAt ?? now) >= rule.repeatEveryS * 1000) {
      s.lastNotifiedAt = now;
      emit('repeat');
    }
  }
  return { next: s, transitions, events };
}

/** Acknowledging: only a firing alert not yet acknowledged; null otherwise (the caller's 409). */
export function acknowledgeStep(prev: AlertSnapshot, now: number): AlertSnapshot | null {
  if (prev.state !== 'firing' || prev.acknowledgedAt !== null) return null;
  return { ...prev, acknowledgedAt: now, silencedEvent: null };
}
