/**
 * Which computers this phone (this tab) approved itself, so "New device linked" can tell a link the
 * person just made from one they did not (LNK-12). The security event may arrive before the
 * approval's answer, so a question waits for approvals still in flight.
 */
export class LinkApprovals {
  private readonly approved = new Set<string>();
  private readonly inFlight = new Set<Promise<unknown>>();

  /** Follows one `link.approve` request; resolves to the new device's id, or fails with it. */
  track(approval: Promise<string>): void {
    const settled = approval.then(
      (deviceId) => {
        this.approved.add(deviceId);
      },
      () => undefined,
    );
    this.inFlight.add(settled);
    void settled.finally(() => this.inFlight.delete(settled));
  }

  /** True when this phone approved `deviceId` (after any approval still in flight has settled). */
  async approvedHere(deviceId: string): Promise<boolean> {
    await Promise.all([...this.inFlight]);
    return this.approved.has(deviceId);
  }
}
