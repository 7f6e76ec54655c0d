import type { LinkServerFrame } from '@latch/protocol';
import { describe, expect, it } from 'vitest';
import { initialLinkState, type LinkEvent, type LinkState, linkFlowReducer } from './linkFlowReducer';

const NOW = 1_700_000_000_000;

function frame(f: LinkServerFrame, now = NOW): LinkEvent {
  return { type: 'frame', frame: f, now };
}

function ref(ref: string, index: number, max = 6, expiresInMs = 20_000): LinkEvent {
  return frame({ type: 'link.ref', ref, index, max, expiresInMs });
}

const approved: Extract<LinkServerFrame, { type: 'link.approved' }> = {
  type: 'link.approved',
  claimCode: 'claim-code',
  deviceId: 'device-id-123',
  account: { name: 'Ada', phoneNumber: '+15551234567', identityKey: 'identity-key' },
  mac: 'mac',
  signature: 'signature',
};

function run(events: LinkEvent[], from: LinkState = initialLinkState): LinkState {
  return events.reduce(linkFlowReducer, from);
}

const started: LinkEvent[] = [{ type: 'key_ready' }];

describe('link flow', () => {
  it('LNK-1 shows each new ref in place of the previous one', () => {
    const state = run([...started, ref('ref-1', 1, 6, 60_000), ref('ref-2', 2)]);
    expect(state).toMatchObject({ kind: 'showing_qr', ref: 'ref-2', index: 2, expiresAt: NOW + 20_000 });
  });

  it('LNK-1 takes a ref off screen when it runs out without a replacement', () => {
    const state = run([...started, ref('ref-1', 1), { type: 'ref_timed_out', ref: 'ref-1' }]);
    expect(state.kind).toBe('connecting');
  });

  it('LNK-1 ignores the timer of a ref that was already replaced', () => {
    const state = run([
      ...started,
      ref('ref-1', 1),
      ref('ref-2', 2),
      { type: 'ref_timed_out', ref: 'ref-1' },
    ]);
    expect(state).toMatchObject({ kind: 'showing_qr', ref: 'ref-2' });
  });

  it('LNK-1 asks for a click after the last ref, from the server or the local timer', () => {
    expect(run([...started, ref('ref-6', 6), frame({ type: 'link.expired' })])).toEqual({
      kind: 'expired',
      via: 'qr',
      phoneNumber: null,
    });
    expect(run([...started, ref('ref-6', 6), { type: 'ref_timed_out', ref: 'ref-6' }]).kind).toBe('expired');
  });

  it('LNK-1 the close that follows link.expired keeps the reload state', () => {
    const state = run([
      ...started,
      ref('ref-6', 6),
      frame({ type: 'link.expired' }),
      { type: 'channel_closed' },
    ]);
    expect(state.kind).toBe('expired');
  });

  it('LNK-9 a MAC that does not check out ends the attempt before any claim', () => {
    const state = run([
      ...started,
      ref('ref-1', 1),
      frame({ type: 'link.scanned' }),
      frame(approved),
      { type: 'mac_checked', ok: false },
      { type: 'claimed', deviceId: 'device-id-123' },
    ]);
    expect(state).toEqual({ kind: 'failed', failure: { kind: 'mac_mismatch' } });
  });

  it('LNK-9 claiming is reachable only through a verified MAC', () => {
    const verifying = run([...started, ref('ref-1', 1), frame(approved)]);
    expect(verifying.kind).toBe('verifying');
    expect(linkFlowReducer(verifying, { type: 'claimed', deviceId: 'x' })).toBe(verifying);
    const claiming = linkFlowReducer(verifying, { type: 'mac_checked', ok: true });
    expect(claiming).toEqual({ kind: 'claiming', approval: approved });
    expect(linkFlowReducer(claiming, { type: 'claimed', deviceId: 'device-id-123' })).toEqual({
      kind: 'done',
      deviceId: 'device-id-123',
    });
  });

  it('LNK-8 a refused claim is a readable failure', () => {
    const state = run([
      ...started,
      frame(approved),
      { type: 'mac_checked', ok: true },
      { type: 'claim_failed', message: 'This link could not be completed.' },
    ]);
    expect(state).toEqual({
      kind: 'failed',
      failure: { kind: 'claim_failed', message: 'This link could not be completed.' },
    });
  });

  it('LNK-11 the phone-number path shows the code for the number', () => {
    const state = run([
      ...started,
      ref('ref-1', 1),
      { type: 'phone_form_opened' },
      { type: 'phone_submitted', phoneNumber: '+15551234567' },
      frame({ type: 'link.code', code: 'K4DP7QXM', expiresInMs: 180_000 }),
    ]);
    expect(state).toEqual({
      kind: 'showing_code',
      code: 'K4DP7QXM',
      phoneNumber: '+15551234567',
      expiresAt: NOW + 180_000,
    });
  });

  it('LNK-11 a refused number goes back to the form with the reason', () => {
    const state = run([
      ...started,
      { type: 'phone_form_opened' },
      { type: 'phone_submitted', phoneNumber: '+15550000000' },
      frame({
        type: 'link.error',
        error: { code: 'not_registered', message: 'No Latch account uses this number.' },
      }),
    ]);
    expect(state).toEqual({
      kind: 'entering_phone',
      error: 'No Latch account uses this number.',
      liveRef: null,
    });
  });

  it('LNK-11 an expired code keeps the number for a new one', () => {
    const showing = run([
      ...started,
      { type: 'phone_form_opened' },
      { type: 'phone_submitted', phoneNumber: '+15551234567' },
      frame({ type: 'link.code', code: 'K4DP7QXM', expiresInMs: 180_000 }),
    ]);
    expect(linkFlowReducer(showing, frame({ type: 'link.expired' }))).toEqual({
      kind: 'expired',
      via: 'code',
      phoneNumber: '+15551234567',
    });
    expect(linkFlowReducer(showing, { type: 'code_timed_out', code: 'K4DP7QXM' }).kind).toBe('expired');
  });

  it('LNK-11 a scan of the code path is remembered as such', () => {
    const state = run([
      ...started,
      { type: 'phone_form_opened' },
      { type: 'phone_submitted', phoneNumber: '+15551234567' },
      frame({ type: 'link.code', code: 'K4DP7QXM', expiresInMs: 180_000 }),
      frame({ type: 'link.scanned' }),
    ]);
    expect(state).toEqual({ kind: 'scanned', via: 'code', matchNumber: null });
  });

  it('LNK-1 going back to the QR shows the newest live ref, never an expired one', () => {
    const typing = run([...started, ref('ref-1', 1), { type: 'phone_form_opened' }, ref('ref-2', 2)]);
    expect(typing).toMatchObject({ kind: 'entering_phone', liveRef: { ref: 'ref-2' } });
    expect(linkFlowReducer(typing, { type: 'qr_requested', now: NOW + 1_000 })).toMatchObject({
      kind: 'showing_qr',
      ref: 'ref-2',
    });
    expect(linkFlowReducer(typing, { type: 'qr_requested', now: NOW + 60_000 }).kind).toBe('connecting');
  });

  it('a lost link channel fails the attempt unless it had already ended', () => {
    expect(run([...started, ref('ref-1', 1), { type: 'channel_closed' }])).toEqual({
      kind: 'failed',
      failure: { kind: 'connection_lost' },
    });
    const verifying = run([...started, frame(approved)]);
    expect(linkFlowReducer(verifying, { type: 'channel_closed' })).toBe(verifying);
  });

  it('a declined request is a server failure with its message', () => {
    const state = run([
      ...started,
      ref('ref-1', 1),
      frame({ type: 'link.scanned' }),
      frame({
        type: 'link.error',
        error: { code: 'forbidden', message: 'The phone declined this request.' },
      }),
    ]);
    expect(state).toEqual({
      kind: 'failed',
      failure: { kind: 'server', code: 'forbidden', message: 'The phone declined this request.' },
    });
  });

  it('LNK-16 a phone on another network: the page shows the number to pick', () => {
    const state = run([...started, ref('ref-1', 1), frame({ type: 'link.scanned', matchNumber: 42 })]);
    expect(state).toEqual({ kind: 'scanned', via: 'qr', matchNumber: 42 });
  });

  it('LNK-16 a wrong pick brings a fresh QR that says why, through later refs; a decline still fails', () => {
    const mismatch = frame({
      type: 'link.error',
      error: { code: 'number_mismatch', message: 'The number picked on the phone did not match.' },
    });
    const scanned = run([...started, ref('ref-1', 1), frame({ type: 'link.scanned', matchNumber: 42 })]);
    const waiting = linkFlowReducer(scanned, mismatch);
    expect(waiting).toEqual({ kind: 'connecting', notice: 'number_mismatch' });
    const fresh = run([ref('ref-2', 1), ref('ref-3', 2)], waiting);
    expect(fresh).toMatchObject({ kind: 'showing_qr', ref: 'ref-3', notice: 'number_mismatch' });
    // Showing the QR without a scan: a mismatch frame is not expected there and fails like every other error.
    expect(run([...started, ref('ref-1', 1), mismatch]).kind).toBe('failed');
  });

  it('reset starts a fresh attempt from any state', () => {
    const failed = run([...started, { type: 'channel_closed' }]);
    expect(linkFlowReducer(failed, { type: 'reset' })).toEqual(initialLinkState);
  });
});
