import {
  approvalMessage,
  type ErrorCode,
  Id,
  type LinkPreview,
  linkMacMessage,
  type RpcMethod,
  type RpcParams,
  type RpcResult,
} from '@latch/protocol';
import { z } from 'zod';
import { ApiError } from '../../api';
import { computeMac, type DeviceSigner } from '../../deviceKey';

/**
 * The phone's side of linking a computer, without pixels: ask who is asking (link.preview), refuse a
 * QR whose key was swapped (LNK-4), approve with the account key's signature and the link MAC
 * (LNK-7, LNK-9), and turn each refusal into the next state. The phone app maps the codes to words.
 */

/** What identifies the asking computer: a scanned QR (ref + its key) or a typed linking code. */
export type LinkSource =
  | { kind: 'qr'; ref: string; devicePublicKey: string; macKey: Uint8Array<ArrayBuffer> }
  | { kind: 'code'; code: string; macKey: Uint8Array<ArrayBuffer> };

export interface LinkReview {
  preview: LinkPreview;
  via: LinkSource['kind'];
  macKey: Uint8Array<ArrayBuffer>;
  pinRequired: boolean;
  /** The last approval's problem, shown on the review sheet. */
  problem: ErrorCode | 'network' | null;
}

export const LimitDevices = z.array(z.object({ id: Id, name: z.string() }));
export type LimitDevices = z.infer<typeof LimitDevices>;

/** Why the phone will not go on: the server's code, or a QR that does not match its computer. */
export type LinkRefusal = ErrorCode | 'network' | 'tampered';

export type ApprovalStep =
  | { kind: 'review'; review: LinkReview }
  | { kind: 'refused'; reason: LinkRefusal; via: LinkSource['kind'] }
  | { kind: 'device_limit'; review: LinkReview; devices: LimitDevices }
  | { kind: 'linked'; deviceName: string };

type Request = <M extends RpcMethod>(method: M, params: RpcParams<M>) => Promise<RpcResult<M>>;

function codeOf(err: unknown): ErrorCode | 'network' {
  return err instanceof ApiError ? err.code : 'internal';
}

/** Asks the server who is behind a ref or code; a QR whose key differs from the preview is refused. */
export async function previewLink(request: Request, source: LinkSource): Promise<ApprovalStep> {
  let preview: LinkPreview;
  try {
    preview = await request(
      'link.preview',
      source.kind === 'qr' ? { ref: source.ref } : { code: source.code },
    );
  } catch (err) {
    return { kind: 'refused', reason: codeOf(err), via: source.kind };
  }
  if (source.kind === 'qr' && preview.devicePublicKey !== source.devicePublicKey) {
    request('link.refuse', { linkId: preview.linkId }).catch(() => undefined);
    return { kind: 'refused', reason: 'tampered', via: source.kind };
  }
  const review = {
    preview,
    via: source.kind,
    macKey: source.macKey,
    pinRequired: preview.pinRequired,
    problem: null,
  };
  return { kind: 'review', review };
}

/**
 * The approval itself: the account identity key's signature over (linkId, computer key) (LNK-7)
 * and the MAC the computer checks with its link secret (LNK-9). Node tools send it as it is.
 */
export async function signApproval(
  signer: DeviceSigner,
  linkId: string,
  devicePublicKey: string,
  macKey: Uint8Array<ArrayBuffer>,
): Promise<{ linkId: string; devicePublicKey: string; signature: string; mac: string }> {
  const signature = await signer.sign(approvalMessage(linkId, devicePublicKey));
  const mac = await computeMac(macKey, linkMacMessage(devicePublicKey, signer.publicKey));
  return { linkId, devicePublicKey, signature, mac };
}

/** Signs the approval with the account identity key (the phone's key) and MACs it; then the next step. */
export async function approveLink(
  request: Request,
  signer: DeviceSigner,
  review: LinkReview,
  pin: string | undefined,
  /** LNK-16: the number the person picked when the computer is on another network. */
  matchNumber?: number,
): Promise<ApprovalStep> {
  const { linkId, devicePublicKey } = review.preview;
  try {
    const approval = await signApproval(signer, linkId, devicePublicKey, review.macKey);
    await request('link.approve', {
      ...approval,
      ...(pin ? { pin } : {}),
      ...(matchNumber === undefined ? {} : { matchNumber }),
    });
    return { kind: 'linked', deviceName: review.preview.deviceName };
  } catch (err) {
    return afterApproveError(review, err);
  }
}

/** A refused approval: ask for the PIN, list devices to remove, or give up on this ref. */
export function afterApproveError(review: LinkReview, err: unknown): ApprovalStep {
  const code = codeOf(err);
  switch (code) {
    case 'pin_required':
    case 'pin_invalid':
    case 'pin_locked':
      return { kind: 'review', review: { ...review, pinRequired: true, problem: code } };
    case 'device_limit': {
      const listed = LimitDevices.safeParse(err instanceof ApiError ? err.details?.devices : undefined);
      return {
        kind: 'device_limit',
        review: { ...review, problem: null },
        devices: listed.success ? listed.data : [],
      };
    }
    case 'ref_expired':
    case 'ref_used':
    case 'ref_unknown':
    case 'signature_invalid':
    case 'number_mismatch':
      return { kind: 'refused', reason: code, via: review.via };
    default:
      return { kind: 'review', review: { ...review, problem: code } };
  }
}
