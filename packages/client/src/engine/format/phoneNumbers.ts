import { PhoneNumber } from '@latch/protocol';
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/min';

/**
 * Phone numbers as people type and read them, with libphonenumber-js ("min" metadata: enough to
 * validate and format, small enough for a browser bundle). The wire always carries E.164.
 */

/**
 * What a person typed ("+1 (555) 123-4567", "0044 20 7946 0958", or "020 7946 0958" with a default
 * country) as E.164, or null when it is not a possible number.
 */
export function parsePhoneInput(input: string, defaultCountry?: CountryCode): string | null {
  const trimmed = input.trim().replace(/^00/, '+');
  const parsed = parsePhoneNumberFromString(trimmed, defaultCountry);
  if (!parsed?.isPossible()) return null;
  const e164 = parsed.number;
  return PhoneNumber.safeParse(e164).success ? e164 : null;
}

/** "+44 20 7946 0958" for display; a number the metadata cannot format is shown as it is. */
export function formatPhoneNumber(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

export type { CountryCode };
