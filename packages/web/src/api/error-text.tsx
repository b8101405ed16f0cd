/** What to show of a failure: the server's words (an ApiError's diagnostics) or the error's message. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
