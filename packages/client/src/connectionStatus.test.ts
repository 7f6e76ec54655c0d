import { describe, expect, it } from 'vitest';
import { connectionStatus, presenceKnown } from './connectionStatus';

const account = {
  id: 'a',
  phoneNumber: '+15550001111',
  name: 'Ada',
  identityKey: 'k',
  twoStepEnabled: false,
  recoveryEmail: null,
  idleLogoutDays: 30 as const,
};

describe('connectionStatus', () => {
  it('NET-2 a working socket shows no bar, whatever the browser flag says', () => {
    expect(connectionStatus({ kind: 'ready', account, deviceId: 'd', serverTime: 0 }, true)).toBe('online');
    expect(connectionStatus({ kind: 'ready', account, deviceId: 'd', serverTime: 0 }, false)).toBe('online');
  });

  it('NET-2 a socket that is (re)connecting says Connecting…', () => {
    expect(connectionStatus({ kind: 'connecting', attempt: 0 }, true)).toBe('connecting');
    expect(connectionStatus({ kind: 'connecting', attempt: 2 }, true)).toBe('connecting');
    expect(connectionStatus({ kind: 'reconnecting', attempt: 1, inMs: 250 }, true)).toBe('connecting');
  });

  it('NET-2 without a network any socket that is not ready is Offline', () => {
    expect(connectionStatus({ kind: 'connecting', attempt: 0 }, false)).toBe('offline');
    expect(connectionStatus({ kind: 'reconnecting', attempt: 1, inMs: 250 }, false)).toBe('offline');
    expect(connectionStatus({ kind: 'offline' }, true)).toBe('offline');
  });

  it('NET-3 presence is known only on a working socket', () => {
    expect(presenceKnown({ kind: 'ready', account, deviceId: 'd', serverTime: 0 })).toBe(true);
    expect(presenceKnown({ kind: 'reconnecting', attempt: 1, inMs: 250 })).toBe(false);
    expect(presenceKnown({ kind: 'connecting', attempt: 0 })).toBe(false);
  });
});
