import { ApiError } from '@latch/client';

/** What to tell the person when a chat or group request fails. */
export function describeChatError(error: unknown, fallback: string): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Try again.';
  switch (error.code) {
    case 'not_registered':
      return `${error.message} Ask them to install Latch, then try again.`;
    case 'network':
      return "Can't reach Latch right now. Try again in a moment.";
    case 'rate_limited':
      return 'Too many attempts. Wait a moment, then try again.';
    case 'forbidden':
      return 'Only group admins can do this.';
    default:
      return error.message || fallback;
  }
}
