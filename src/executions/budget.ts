/**
 * Limits on how much work one check may do, honoured deep inside the loops
 * that do it (building thread runs, choosing coherence orders and
 * reads-from), not only between candidate executions: a test whose choices
 * are all pruned still stops on time.
 */

/** Thrown when a check exceeds its limits. */
export class CheckLimitError extends Error {
  constructor(message: string, readonly examined: number) {
    super(message);
    this.name = 'CheckLimitError';
  }
}

export interface BudgetLimits {
  /** Give up after this many milliseconds. */
  readonly timeoutMs?: number;
  /** Give up after examining this many candidate executions. */
  readonly maxCandidates?: number;
  /** Called now and then with the number of candidates examined so far. */
  readonly onProgress?: (examined: number) => void;
}

/** Counts work and throws a `CheckLimitError` once a limit is passed. */
export class Budget {
  /** Candidate executions examined (handed to the model). */
  examined = 0;
  /** Steps of enumeration (choices tried), pruned ones included. */
  private steps = 0;
  private readonly started = Date.now();

  constructor(private readonly limits: BudgetLimits = {}) {}

  /** One step of work; the clock is read every 1024 steps. */
  step(): void {
    if ((++this.steps & 1023) === 0) this.checkClock();
  }

  /** One candidate execution examined. */
  candidate(): void {
    this.examined++;
    const max = this.limits.maxCandidates;
    if (max !== undefined && this.examined > max) {
      throw new CheckLimitError(`gave up after examining ${max} candidate executions`, this.examined);
    }
    this.step();
  }

  private checkClock(): void {
    this.limits.onProgress?.(this.examined);
    const timeout = this.limits.timeoutMs;
    if (timeout !== undefined && Date.now() - this.started > timeout) {
      throw new CheckLimitError(`gave up after ${(timeout / 1000).toFixed(1)} s (${this.examined} candidate executions examined)`, this.examined);
    }
  }
}

/** A budget with no limits. */
export const unlimited = (): Budget => new Budget();
