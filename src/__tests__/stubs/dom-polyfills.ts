/**
 * What jsdom lacks and memlens or Lumino use (as @jupyterlab/testing adds
 * it): only in the specs that ask for `@jest-environment jsdom`.
 */
if (typeof window !== 'undefined' && !('DragEvent' in window)) {
  class DragEvent extends MouseEvent {}
  Object.assign(window, { DragEvent });
  Object.assign(globalThis, { DragEvent });
}

if (typeof window !== 'undefined' && !performance.measure) {
  // User Timing marks (common/user-timing.ts) are for the browser's tools
  Object.assign(performance, { measure: () => undefined });
}
