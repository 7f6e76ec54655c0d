/** History state the apps put on entries they push themselves (the router keeps it in `history.state`). */
export const IN_APP_ENTRY = { latchInApp: true } as const;

/** True when the current history entry was pushed by the app (so Back stays inside it). */
export function cameFromApp(): boolean {
  const state: unknown = history.state;
  return typeof state === 'object' && state !== null && 'latchInApp' in state;
}

/**
 * An on-screen back arrow: the browser's Back when the app pushed this entry (history does not grow,
 * and the phone's Back button then does the same), otherwise `fallback` (opened from a link or a
 * reload: there is nothing of ours to go back to).
 */
export function goBack(fallback: () => void): void {
  if (cameFromApp()) history.back();
  else fallback();
}
