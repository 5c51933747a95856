/**
 * The alert loop inside each app server (SPEC 9): every `intervalSeconds` it evaluates the rules,
 * and every few seconds it delivers what is due — retries included, so a first retry due 10 s
 * after a failure goes out within 15 s even when rules are evaluated once a minute. One tick at a
 * time in a process (the next is scheduled when the last ends), an error is logged and the loop
 * goes on; several servers run it side by side, which evaluation and delivery are made safe for.
 */
import type { Db } from '@/db';
import { logError } from '@/lib/log';
import { deliverDue, type DeliverOptions } from './deliver';

export interface AlertLoopOptions {
  intervalSeconds: number;
  evaluate: (db: Db, now: Date) => Promise<unknown>;
  /** How often due deliveries are sent between evaluations (default: 5 s, or the interval if shorter). */
  deliverEverySeconds?: number;
  /** Passed to deliverDue (tests give SMTP settings). */
  deliver?: Omit<DeliverOptions, 'now'>;
}

export function startAlertLoop(db: Db, opts: AlertLoopOptions): { stop(): Promise<void> } {
  const evaluateMs = Math.max(0.05, opts.intervalSeconds) * 1000;
  const tickMs = Math.min(evaluateMs, Math.max(0.05, opts.deliverEverySeconds ?? 5) * 1000);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  let lastEvaluation = -Infinity;

  const tick = async () => {
    const started = Date.now();
    if (started - lastEvaluation >= evaluateMs) {
      lastEvaluation = started;
      try {
        await opts.evaluate(db, new Date(started));
      } catch (e) {
        logError('alerts', { step: 'evaluate' }, e);
      }
    }
    if (stopped) return;
    try {
      await deliverDue(db, opts.deliver);
    } catch (e) {
      logError('alerts', { step: 'deliver' }, e);
    }
  };

  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      current = tick().finally(() => schedule(tickMs));
    }, ms);
    timer.unref?.();
  };
  schedule(0);

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
