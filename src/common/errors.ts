/** The message of anything thrown or rejected, as one line for the user. */
export function errorMessage(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
