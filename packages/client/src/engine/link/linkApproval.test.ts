import type { LinkPreview, RpcMethod } from '@latch/protocol';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api';
import { fakeSigner } from '../testing/fakeSigner';
import { afterApproveError, approveLink, type LinkReview, previewLink } from './linkApproval';

const COMPUTER_KEY = `B${'A'.repeat(86)}`;
const preview: LinkPreview = {
  linkId: 'link-000000001',
  devicePublicKey: COMPUTER_KEY,
  deviceName: 'Chrome on Linux',
  browser: 'Chrome',
  os: 'Linux',
  ip: '192.0.2.1',
  sameNetwork: true,
  matchChoices: null,
  ageMs: 1000,
  pinRequired: false,
};
const macKey = new Uint8Array(16).fill(7);

function requester(answers: Partial<Record<RpcMethod, unknown>>) {
  const calls: Array<{ method: RpcMethod; params: unknown }> = [];
  const request = async (method: RpcMethod, params: unknown) => {
    calls.push({ method, params });
    const answer = answers[method];
    if (answer instanceof Error) throw answer;
    return answer;
  };
  // The fake answers whatever it is told; the schemas are the server's business here.
  return { calls, request: request as Parameters<typeof previewLink>[0] };
}

describe('phone approval (ENG-11)', () => {
  it('ENG-11 LNK-4 a QR whose key differs from what the server saw is refused as tampered, and the link refused', async () => {
    const { calls, request } = requester({ 'link.preview': preview, 'link.refuse': {} });
    const step = await previewLink(request, {
      kind: 'qr',
      ref: 'r',
      devicePublicKey: `B${'C'.repeat(85)}A`,
      macKey,
    });
    expect(step).toEqual({ kind: 'refused', reason: 'tampered', via: 'qr' });
    expect(calls.map((c) => c.method)).toEqual(['link.preview', 'link.refuse']);
  });

  it('ENG-11 LNK-7 approving signs approvalMessage with the phone key and MACs with the link secret', async () => {
    const { calls, request } = requester({ 'link.approve': { deviceId: 'device-000000001' } });
    const review: LinkReview = { preview, via: 'qr', macKey, pinRequired: false, problem: null };
    const step = await approveLink(request, fakeSigner(`B${'B'.repeat(85)}A`), review, undefined);
    expect(step).toEqual({ kind: 'linked', deviceName: 'Chrome on Linux' });
    expect(calls[0]?.params).toMatchObject({ linkId: preview.linkId, devicePublicKey: COMPUTER_KEY });
  });

  it('ENG-11 PIN-4 LNK-6 refusals lead to the PIN, the device list, or the end of this ref', () => {
    const review: LinkReview = { preview, via: 'code', macKey, pinRequired: false, problem: null };
    const refused = (code: 'pin_required' | 'device_limit' | 'ref_used', details?: Record<string, unknown>) =>
      afterApproveError(review, new ApiError(400, { code, message: code, ...(details ? { details } : {}) }));
    expect(refused('pin_required')).toMatchObject({
      kind: 'review',
      review: { pinRequired: true, problem: 'pin_required' },
    });
    expect(refused('device_limit', { devices: [{ id: 'device-000000002', name: 'Firefox' }] })).toMatchObject(
      {
        kind: 'device_limit',
        devices: [{ id: 'device-000000002', name: 'Firefox' }],
      },
    );
    expect(refused('ref_used')).toEqual({ kind: 'refused', reason: 'ref_used', via: 'code' });
  });
});
