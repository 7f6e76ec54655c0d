/** Registration-specific words for the server's error ids. */
export const PHONE_ERRORS = {
  validation_failed: 'Enter your number in international format, e.g. +1 555 123 4567.',
  sms_failed: 'We could not send the SMS. Try again in a moment.',
} as const;

export const CODE_ERRORS = {
  code_invalid: 'That code is not right. Check the SMS and try again.',
  code_expired: 'This code has expired. Tap “Resend code” to get a new one.',
  validation_failed: 'Enter the 6-digit code from the SMS.',
  sms_failed: 'We could not send the SMS. Try again in a moment.',
} as const;
