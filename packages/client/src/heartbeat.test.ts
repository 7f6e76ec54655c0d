import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HEARTBEAT_INTERVAL_MS, HEARTBEAT_TIMEOUT_MS, Heartbeat } from './heartbeat';

describe('Heartbeat', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function watch() {
    const pings = vi.fn();
    const dead = vi.fn();
    const hb = new Heartbeat({ sendPing: pings, onDead: dead });
    hb.start();
    return { hb, pings, dead };
  }

  it('NET-1 a quiet connection is pinged after the interval; an answer keeps it alive', () => {
    const { hb, pings, dead } = watch();
    vi.advanceTimersByTime(HEARTBEAT_INTERVAL_MS - 1);
    expect(pings).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(pings).toHaveBeenCalledTimes(1);
    hb.heard();
    vi.advanceTimersByTime(HEARTBEAT_TIMEOUT_MS * 2);
    expect(dead).not.toHaveBeenCalled();
    vi.advanceTimersByTime(HEARTBEAT_INTERVAL_MS);
    expect(pings).toHaveBeenCalledTimes(2);
  });

  it('NET-1 traffic postpones the ping: a busy connection sends none', () => {
    const { hb, pings } = watch();
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(HEARTBEAT_INTERVAL_MS / 2);
      hb.heard();
    }
    expect(pings).not.toHaveBeenCalled();
  });

  it('NET-1 an unanswered ping declares the connection dead once, after the timeout', () => {
    const { pings, dead } = watch();
    vi.advanceTimersByTime(HEARTBEAT_INTERVAL_MS + HEARTBEAT_TIMEOUT_MS - 1);
    expect(dead).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(dead).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(HEARTBEAT_INTERVAL_MS * 5);
    expect(dead).toHaveBeenCalledTimes(1);
    expect(pings).toHaveBeenCalledTimes(1);
  });

  it('NET-1 a probe (the browser went offline) pings at once and finds a dead connection within the timeout', () => {
    const { hb, pings, dead } = watch();
    vi.advanceTimersByTime(1000);
    hb.probe();
    hb.probe();
    expect(pings).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(HEARTBEAT_TIMEOUT_MS);
    expect(dead).toHaveBeenCalledTimes(1);
    expect(HEARTBEAT_TIMEOUT_MS).toBeLessThan(5000);
  });

  it('NET-1 a stopped heartbeat neither pings nor declares anything', () => {
    const { hb, pings, dead } = watch();
    hb.probe();
    hb.stop();
    vi.advanceTimersByTime(HEARTBEAT_INTERVAL_MS * 3);
    hb.heard();
    vi.advanceTimersByTime(HEARTBEAT_INTERVAL_MS * 3);
    expect(pings).toHaveBeenCalledTimes(1);
    expect(dead).not.toHaveBeenCalled();
  });
});
