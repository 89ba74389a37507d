/** How long something must be pending before the panel says so. */
export const PROGRESS_DELAY_MS = 1000;

/**
 * Says whether a progress line is due: only once something has been
 * pending without a break for `delayMs` (a pass that completes within a
 * second, or answers that alternate complete / incomplete, show nothing).
 * When the line is not due yet but will be, `onDue` is called at that
 * moment, so that the view renders again.
 */
export class ProgressDelay {
  constructor(
    private readonly _onDue: () => void,
    private readonly _delayMs = PROGRESS_DELAY_MS,
    private readonly _now: () => number = () => performance.now()
  ) {}

  /** Whether to show progress now; `pending`: is anything pending now. */
  due(pending: boolean): boolean {
    if (!pending) {
      this.reset();
      return false;
    }
    const now = this._now();
    this._since ??= now;
    const left = this._since + this._delayMs - now;
    if (left <= 0) {
      return true;
    }
    this._timer ??= setTimeout(() => {
      this._timer = null;
      this._onDue();
    }, left);
    return false;
  }

  /** Nothing is pending any more (or another notebook is shown). */
  reset(): void {
    this._since = null;
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
  }

  private _since: number | null = null;
  private _timer: ReturnType<typeof setTimeout> | null = null;
}
