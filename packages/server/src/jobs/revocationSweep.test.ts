import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BusEvent } from '../bus/events';
import { parseConfig } from '../config';
import { createLogger } from '../logger';
import { freshAccount } from '../repositories/account.repository';
import type { DeviceRow } from '../repositories/device.repository';
import { openContext } from '../server';
import type { ServiceContext } from '../services/context';
import { createServices } from '../services/services';
import { Connections, type DeviceConn } from '../ws/connections';
import { startRevocationSweep } from './revocationSweep';

const OPEN = 1;
const CLOSING = 2;
const ACCOUNT = 'acct-sweep';

/** A socket as far as the sweep looks at it: its device and whether it is still open. */
function fakeConn(deviceId: string): DeviceConn {
  return {
    ws: { readyState: OPEN, OPEN } as unknown as DeviceConn['ws'],
    app: 'web',
    accountId: ACCOUNT,
    deviceId,
    send: () => undefined,
    sendText: () => undefined,
  };
}

function revokedRow(id: string, at: number, reason: string | null): DeviceRow {
  return {
    id,
    account_id: ACCOUNT,
    kind: 'companion',
    name: 'Chrome on Linux',
    browser: 'Chrome',
    os: 'Linux',
    public_key: 'k'.repeat(87),
    token_hash: null,
    claim_hash: null,
    claim_expires_at: null,
    link_id: null,
    keep_signed_in: 1,
    created_at: at,
    last_active_at: at,
    online_until: 0,
    ip: '10.9.9.9',
    revoked_at: at,
    revoked_reason: reason,
    wiped_at: null,
    revoked_token_hash: null,
  };
}

describe('revocation sweep', () => {
  let ctx: ServiceContext;
  let close = async () => {};
  let conns: Connections;
  let handled: BusEvent[];
  let sweeper: ReturnType<typeof startRevocationSweep>;

  beforeEach(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-sweep-'));
    const opened = await openContext(parseConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' }), {
      log: createLogger('silent'),
    });
    ctx = opened.ctx;
    close = async () => {
      await opened.close();
      fs.rmSync(dir, { recursive: true, force: true });
    };
    await ctx.repos.accounts.insert(
      freshAccount({ id: ACCOUNT, phone_number: '+15550001234', name: 'Sweep', created_at: Date.now() }),
    );
    conns = new Connections();
    handled = [];
    const router = { handle: (e: BusEvent) => handled.push(e) };
    sweeper = startRevocationSweep(
      createServices(ctx).devices,
      ctx.clock,
      conns,
      router,
      createLogger('silent'),
    );
    // The test sweeps by hand, so that no timer sweeps in between.
    sweeper.stop();
  });
  afterEach(() => close());

  async function insertRevoked(rows: DeviceRow[]) {
    for (let i = 0; i < rows.length; i += 500)
      await ctx.db
        .insertInto('devices')
        .values(rows.slice(i, i + 500))
        .execute();
  }

  it('OUT-9 NODE-3 10k rows revoked in another process: one router event for all the sockets held, then no re-reading', async () => {
    const now = Date.now();
    const rows = Array.from({ length: 10_000 }, (_, i) => revokedRow(`d${i}`, now, 'admin'));
    await insertRevoked(rows);
    for (const row of rows) conns.add(fakeConn(row.id));
    const otherNodes = fakeConn('held-elsewhere');
    conns.add(otherNodes);

    const started = performance.now();
    await sweeper.sweep();
    const firstMs = performance.now() - started;

    expect(handled).toHaveLength(1);
    expect(handled[0]).toMatchObject({ type: 'devices.revoked', reason: 'admin' });
    expect(handled[0]?.type === 'devices.revoked' && handled[0].deviceIds).toHaveLength(10_000);

    // The router has closed them (they are closing): the next sweeps neither read the rows again
    // nor hand the sockets over twice.
    for (const c of conns.all()) if (c !== otherNodes) (c.ws as { readyState: number }).readyState = CLOSING;
    const reads = vi.spyOn(ctx.repos.devices, 'revokedSince');
    const quietMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const again = performance.now();
      await sweeper.sweep();
      quietMs.push(performance.now() - again);
    }
    expect(reads).not.toHaveBeenCalled();
    expect(handled).toHaveLength(1);
    const median = quietMs.sort((a, b) => a - b)[2] ?? 0;
    console.info(`sweep of 10k revoked rows: ${firstMs.toFixed(1)} ms; later sweeps ${median.toFixed(1)} ms`);
  });

  it('OUT-9 one event per reason; a row committed late with an older time is still found', async () => {
    const now = Date.now();
    await insertRevoked([revokedRow('a1', now, 'admin'), revokedRow('p1', now, 'phone')]);
    for (const id of ['a1', 'p1', 'late', 'odd']) conns.add(fakeConn(id));
    await sweeper.sweep();
    const byReason = Object.fromEntries(
      handled.map((e) => [e.type === 'devices.revoked' ? e.reason : e.type, e]),
    );
    expect(byReason.admin).toMatchObject({ deviceIds: ['a1'] });
    expect(byReason.phone).toMatchObject({ deviceIds: ['p1'] });

    // Stamped two seconds before the newest known revocation, committed only now; and an unknown reason.
    handled = [];
    for (const c of conns.all()) (c.ws as { readyState: number }).readyState = CLOSING;
    for (const id of ['late', 'odd']) (conns.ofDevice(id)[0]!.ws as { readyState: number }).readyState = OPEN;
    await insertRevoked([revokedRow('late', now - 2_000, 'inactive'), revokedRow('odd', now, 'gremlins')]);
    await sweeper.sweep();
    expect(handled).toEqual([
      { type: 'devices.revoked', deviceIds: ['late'], reason: 'inactive' },
      { type: 'devices.revoked', deviceIds: ['odd'], reason: 'admin' },
    ]);
  });
});
