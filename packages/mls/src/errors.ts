/** Why a device refused an MLS message, a Welcome, or to act. Stable codes, for the engine and logs. */
export type MlsRefusalCode =
  /** Not a well-formed MLS message of the expected kind. */
  | 'malformed'
  /** A leaf without a valid device certificate chaining to an account key this device knows. */
  | 'untrusted_leaf'
  /** Well-formed and authentic, but something Latch never does (an external Add, a new external sender…). */
  | 'not_allowed'
  /** The message is for another group. */
  | 'wrong_group'
  /** MLS itself refused it: bad signature or tag, wrong epoch, keys this device no longer (or never) had. */
  | 'rejected'
  /** This device is no longer a member of the group. */
  | 'removed'
  /** Proposals are waiting: commit them before sending (so nothing is encrypted to a removed device). */
  | 'pending_proposals';

export class MlsRefused extends Error {
  constructor(
    readonly code: MlsRefusalCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MlsRefused';
  }
}

/** Runs a ts-mls step; anything it throws becomes a refusal with the given code. */
export async function refuseOnError<T>(
  code: MlsRefusalCode,
  what: string,
  step: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof MlsRefused) throw err;
    const detail = err instanceof Error ? err.message : String(err);
    throw new MlsRefused(code, `${what}: ${detail}`, { cause: err });
  }
}
