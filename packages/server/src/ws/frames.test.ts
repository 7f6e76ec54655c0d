import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { FramePacer, MAX_PACED_BYTES, TokenBucket } from './frames';

/** Just what the pacer uses of a socket: pause and resume reading. */
function fakeSocket() {
  const s = {
    isPaused: false,
    pause: vi.fn(() => (s.isPaused = true)),
    resume: vi.fn(() => (s.isPaused = false)),
  };
  return s;
}

describe('FramePacer', () => {
  afterEach(() => vi.useRealTimers());

  it('IN-4 frames past the burst wait their turn in order, reading pauses meanwhile and resumes when done', () => {
    vi.useFakeTimers();
    const socket = fakeSocket();
    const overflow = vi.fn();
    const pacer = new FramePacer(socket as unknown as WebSocket, new TokenBucket(50, 2), overflow);
    const ran: number[] = [];
    for (let i = 0; i < 5; i++) pacer.admit(100, () => ran.push(i));
    expect(ran).toEqual([0, 1]);
    expect(socket.pause).toHaveBeenCalled();
    vi.advanceTimersByTime(200);
    expect(ran).toEqual([0, 1, 2, 3, 4]);
    expect(socket.isPaused).toBe(false);
    expect(overflow).not.toHaveBeenCalled();
  });

  it('IN-4 more than MAX_PACED_BYTES waiting closes the socket and drops what waited', () => {
    vi.useFakeTimers();
    const overflow = vi.fn();
    const pacer = new FramePacer(fakeSocket() as unknown as WebSocket, new TokenBucket(50, 1), overflow);
    const ran = vi.fn();
    pacer.admit(10, ran);
    const frame = 16 * 1024;
    for (let i = 0; i < MAX_PACED_BYTES / frame; i++) pacer.admit(frame, ran);
    expect(overflow).not.toHaveBeenCalled();
    pacer.admit(frame, ran);
    expect(overflow).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10_000);
    expect(ran).toHaveBeenCalledTimes(1);
  });
});
