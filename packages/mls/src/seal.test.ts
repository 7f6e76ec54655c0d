import { describe, expect, it } from 'vitest';
import { encryptMessage, exportGroupState, importGroupState } from './group';
import { bucketFor, MAX_PLAINTEXT_BYTES, pad, unpad } from './padding';
import { generateSealingKey, seal, unseal } from './seal';
import { oneToOneChat, syncAll } from './testing/chatFixture';

describe('state at rest', () => {
  it('E2E-8 export → seal → unseal → import continues the conversation', async () => {
    const chat = await oneToOneChat();
    const { groupId, aliceComputer1, bobPhone } = chat;
    const key = await generateSealingKey();
    expect(key.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', key)).rejects.toThrow();

    const context = 'latch/mls-state/v1:chat-1';
    const exported = exportGroupState(aliceComputer1.state(groupId));
    const sealed = await seal(key, exported, context);
    // Nothing of the state shows through the box.
    expect(Buffer.from(sealed).includes(Buffer.from(exported.slice(0, 64)))).toBe(false);

    const restored = importGroupState(aliceComputer1.mls, await unseal(key, sealed, context));
    // The device restarts from its sealed state and the chat goes on both ways.
    aliceComputer1.restoreState(groupId, restored);
    await bobPhone.send(groupId, 'after the restart');
    await aliceComputer1.sync(groupId);
    expect(aliceComputer1.inbox.map((m) => m.text)).toEqual(['after the restart']);
    await aliceComputer1.send(groupId, 'and back');
    await syncAll(chat.all, groupId);
    expect(bobPhone.inbox.map((m) => m.text)).toEqual(['and back']);
  });

  it('E2E-8 a sealed state opens only with its key, for its context, unchanged', async () => {
    const key = await generateSealingKey();
    const sealed = await seal(key, new Uint8Array([1, 2, 3]), 'a');
    expect(await unseal(key, sealed, 'a')).toEqual(new Uint8Array([1, 2, 3]));
    await expect(unseal(key, sealed, 'b')).rejects.toThrow();
    await expect(unseal(await generateSealingKey(), sealed, 'a')).rejects.toThrow();
    const tampered = sealed.slice();
    tampered[tampered.length - 1]! ^= 1;
    await expect(unseal(key, tampered, 'a')).rejects.toThrow();
  });
});

describe('padding', () => {
  it('E2E-9 plaintexts pad to 256 B, 1 KiB, 4 KiB, 16 KiB, 64 KiB buckets and unpad exactly', () => {
    expect([0, 255, 256, 1023, 1024, 5000, MAX_PLAINTEXT_BYTES].map(bucketFor)).toEqual([
      256, 256, 1024, 1024, 4096, 16_384, 65_536,
    ]);
    expect(() => bucketFor(MAX_PLAINTEXT_BYTES + 1)).toThrow(RangeError);
    for (const text of [new Uint8Array(), new Uint8Array([0, 0, 0x80, 0]), new Uint8Array(300).fill(7)]) {
      expect(unpad(pad(text))).toEqual(text);
    }
    expect(unpad(new Uint8Array(256))).toBeNull();
    expect(unpad(new Uint8Array(100).fill(0x80))).toBeNull();
  });

  it('E2E-9 the ciphertext size says only which bucket the message is in', async () => {
    const { groupId, bobPhone } = await oneToOneChat();
    const sizeOf = async (length: number) => {
      const { message } = await encryptMessage(
        bobPhone.mls,
        bobPhone.state(groupId),
        new Uint8Array(length).fill(65),
      );
      return message.length;
    };
    const [one, full, next] = [await sizeOf(1), await sizeOf(255), await sizeOf(256)];
    expect(full).toBe(one);
    expect(next).toBe(one + 1024 - 256);
  });
});
