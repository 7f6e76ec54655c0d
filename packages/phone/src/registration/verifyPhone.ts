import { type DeviceKey, DeviceKeyStore, requestJson } from '@latch/client';
import { RegisterVerifyResponse } from '@latch/protocol';
import { PHONE_KEY_STORE } from '../session/bootPhone';

export interface Verified {
  result: RegisterVerifyResponse;
  key: DeviceKey;
}

/** With two-step verification: the PIN, or "I forgot it" (starts or finishes the 7-day wait). */
export type TwoStepAnswer = { pin: string } | { forgotPin: true } | null;

/**
 * Makes (or reuses) this phone's non-extractable key, then proves the number with the SMS code and
 * installs the key as the account's primary device. The server sets the session cookie.
 */
export async function verifyPhone(
  phoneNumber: string,
  code: string,
  twoStep: TwoStepAnswer = null,
): Promise<Verified> {
  const key = await new DeviceKeyStore(PHONE_KEY_STORE).loadOrCreate();
  const result = await requestJson('POST', '/v1/register/verify', RegisterVerifyResponse, {
    phoneNumber,
    code,
    publicKey: key.publicKey,
    ...twoStep,
  });
  return { result, key };
}
