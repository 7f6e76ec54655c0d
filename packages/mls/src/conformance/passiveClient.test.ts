/**
 * E2E-1, part 4: a passive client joins from the vector's Welcome and follows every epoch's
 * proposals and commits, through ts-mls's public API (joinGroup, processPrivateMessage,
 * processPublicMessage), landing on the epoch authenticators the vectors expect: welcome,
 * handling-commit and random, suite 1.
 */
import {
  bytesToBase64,
  type ClientState,
  decodeMlsMessage,
  joinGroup,
  makePskIndex,
  processPrivateMessage,
  processPublicMessage,
} from 'ts-mls';
import { decodeRatchetTree } from 'ts-mls/ratchetTree.js';
import { describe, expect, it } from 'vitest';
import { LATCH_CIPHERSUITE_ID, latchCiphersuite } from '../ciphersuite';
import { hex, loadVectors, toHex, vectorsAvailable } from './vectors';

interface PassiveClientVector {
  external_psks: { psk_id: string; psk: string }[];
  key_package: string;
  signature_priv: string;
  encryption_priv: string;
  init_priv: string;
  welcome: string;
  ratchet_tree: string | null;
  initial_epoch_authenticator: string;
  epochs: { proposals: string[]; commit: string; epoch_authenticator: string }[];
}

async function follow(v: PassiveClientVector): Promise<void> {
  const impl = await latchCiphersuite();
  const keyPackage = decodeMlsMessage(hex(v.key_package), 0)?.[0];
  const welcome = decodeMlsMessage(hex(v.welcome), 0)?.[0];
  if (keyPackage?.wireformat !== 'mls_key_package' || welcome?.wireformat !== 'mls_welcome')
    throw new Error('bad vector');
  const psks = Object.fromEntries(v.external_psks.map((p) => [bytesToBase64(hex(p.psk_id)), hex(p.psk)]));
  const tree = v.ratchet_tree === null ? undefined : decodeRatchetTree(hex(v.ratchet_tree), 0)?.[0];
  let state: ClientState = await joinGroup(
    welcome.welcome,
    keyPackage.keyPackage,
    {
      initPrivateKey: hex(v.init_priv),
      hpkePrivateKey: hex(v.encryption_priv),
      signaturePrivateKey: hex(v.signature_priv),
    },
    makePskIndex(undefined, psks),
    impl,
    tree,
  );
  expect(toHex(state.keySchedule.epochAuthenticator)).toBe(v.initial_epoch_authenticator);
  for (const epoch of v.epochs) {
    for (const text of [...epoch.proposals, epoch.commit]) {
      const m = decodeMlsMessage(hex(text), 0)?.[0];
      if (m?.wireformat === 'mls_private_message') {
        state = (await processPrivateMessage(state, m.privateMessage, makePskIndex(state, psks), impl))
          .newState;
      } else if (m?.wireformat === 'mls_public_message') {
        state = (await processPublicMessage(state, m.publicMessage, makePskIndex(state, psks), impl))
          .newState;
      } else {
        throw new Error('not a group message');
      }
    }
    expect(toHex(state.keySchedule.epochAuthenticator)).toBe(epoch.epoch_authenticator);
  }
}

describe.runIf(vectorsAvailable('passiveClient.test.ts'))(
  'E2E-1 RFC 9420 test vectors: passive client',
  () => {
    for (const file of [
      'passive-client-welcome.json',
      'passive-client-handling-commit.json',
      'passive-client-random.json',
    ]) {
      it(`E2E-1 ${file.replace('.json', '')}: every epoch authenticator matches`, {
        timeout: 120_000,
      }, async () => {
        const vectors = loadVectors<PassiveClientVector>(file, LATCH_CIPHERSUITE_ID);
        expect(vectors.length).toBeGreaterThan(0);
        for (const v of vectors) await follow(v);
      });
    }
  },
);
