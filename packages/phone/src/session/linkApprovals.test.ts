import { describe, expect, it } from 'vitest';
import { LinkApprovals } from './linkApprovals';

describe('LinkApprovals', () => {
  it('LNK-12 a device this phone approved is its own; any other is not', async () => {
    const approvals = new LinkApprovals();
    approvals.track(Promise.resolve('dev-mine-0001'));
    expect(await approvals.approvedHere('dev-mine-0001')).toBe(true);
    expect(await approvals.approvedHere('dev-other-001')).toBe(false);
  });

  it('LNK-12 an event that arrives before the approval’s answer waits for it', async () => {
    const approvals = new LinkApprovals();
    let answer: (id: string) => void = () => undefined;
    approvals.track(new Promise<string>((resolve) => (answer = resolve)));
    const asked = approvals.approvedHere('dev-mine-0002');
    answer('dev-mine-0002');
    expect(await asked).toBe(true);
  });

  it('LNK-12 a failed approval approves nothing and does not block the answer', async () => {
    const approvals = new LinkApprovals();
    approvals.track(Promise.reject(new Error('pin_invalid')));
    expect(await approvals.approvedHere('dev-any-00001')).toBe(false);
  });
});
