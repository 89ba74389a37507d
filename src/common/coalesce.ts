/**
 * Runs an async task so that runs never overlap: a call while a run is in
 * flight schedules exactly one more run after it (however many calls came
 * in). Every caller's promise settles once a run that started after its
 * call has finished.
 */
export class Coalescer {
  constructor(
    private readonly _task: () => Promise<void>,
    private readonly _stopped: () => boolean = () => false
  ) {}

  /** Run the task now, or once more after the run in flight. */
  run(): Promise<void> {
    if (this._running) {
      this._again = true;
    } else {
      this._running = this._loop();
    }
    return this._running;
  }

  private async _loop(): Promise<void> {
    try {
      do {
        this._again = false;
        await this._task();
      } while (this._again && !this._stopped());
    } finally {
      this._running = null;
    }
  }

  private _running: Promise<void> | null = null;
  private _again = false;
}
