/**
 * E2E-1, part 1: RFC 9420 primitives of ts-mls against the MLS working group's test vectors, for
 * Latch's suite (id 1). Where the package's main entry does not expose a primitive, the test uses
 * the module subpaths ts-mls publishes in its `exports` map (`ts-mls/<module>.js`); the version
 * is pinned, so these internals cannot move under us unnoticed.
 */
import { defaultKeyRetentionConfig, type GroupContext, mlsExporter } from 'ts-mls';
import { decodeAuthenticatedContent } from 'ts-mls/authenticatedContent.js';
import { determineLength } from 'ts-mls/codec/variableLength.js';
import { refhash } from 'ts-mls/crypto/hash.js';
import { decryptWithLabel, encryptWithLabel } from 'ts-mls/crypto/hpke.js';
import { deriveSecret, deriveTreeSecret, expandWithLabel } from 'ts-mls/crypto/kdf.js';
import { signWithLabel, verifyWithLabel } from 'ts-mls/crypto/signature.js';
import { encodeGroupContext } from 'ts-mls/groupContext.js';
import { initializeEpoch } from 'ts-mls/keySchedule.js';
import { computePskSecret } from 'ts-mls/presharedkey.js';
import { createSecretTree, deriveKey, deriveNonce, ratchetUntil } from 'ts-mls/secretTree.js';
import { expandSenderDataKey, expandSenderDataNonce } from 'ts-mls/sender.js';
import { createConfirmedHash, createInterimHash } from 'ts-mls/transcriptHash.js';
import {
  leafToNodeIndex,
  left,
  nodeWidth,
  parent,
  right,
  root,
  sibling,
  toLeafIndex,
  toNodeIndex,
} from 'ts-mls/treemath.js';
import { describe, expect, it } from 'vitest';
import { LATCH_CIPHERSUITE, LATCH_CIPHERSUITE_ID, latchCiphersuite } from '../ciphersuite';
import { hex, loadVectors, toHex, vectorsAvailable } from './vectors';

const SUITE = LATCH_CIPHERSUITE_ID;

describe.runIf(vectorsAvailable('primitives.test.ts'))('E2E-1 RFC 9420 test vectors: primitives', () => {
  it('E2E-1 tree-math: width, root, left, right, parent, sibling', () => {
    type V = { n_leaves: number; n_nodes: number; root: number } & Record<
      'left' | 'right' | 'parent' | 'sibling',
      (number | null)[]
    >;
    const vectors = loadVectors<V>('tree-math.json');
    expect(vectors.length).toBeGreaterThan(0);
    for (const v of vectors) {
      expect(nodeWidth(v.n_leaves)).toBe(v.n_nodes);
      expect(root(v.n_leaves)).toBe(v.root);
      const ops = {
        left: (i: number) => left(toNodeIndex(i)),
        right: (i: number) => right(toNodeIndex(i)),
        parent: (i: number) => parent(toNodeIndex(i), v.n_leaves),
        sibling: (i: number) => sibling(toNodeIndex(i), v.n_leaves),
      };
      for (const [name, op] of Object.entries(ops) as [keyof typeof ops, (i: number) => number][]) {
        v[name].forEach((expected, i) => {
          if (expected === null) expect(() => op(i)).toThrow();
          else expect(op(i)).toBe(expected);
        });
      }
    }
  });

  it('E2E-1 deserialization: variable-length integer headers', () => {
    const vectors = loadVectors<{ vlbytes_header: string; length: number }>('deserialization.json');
    expect(vectors.length).toBeGreaterThan(0);
    for (const v of vectors) expect(determineLength(hex(v.vlbytes_header)).length).toBe(v.length);
  });

  it('E2E-1 crypto-basics: RefHash, ExpandWithLabel, DeriveSecret, DeriveTreeSecret, SignWithLabel, EncryptWithLabel', async () => {
    const impl = await latchCiphersuite();
    const [v] = loadVectors<CryptoBasics>('crypto-basics.json', SUITE);
    if (!v) throw new Error('no crypto-basics vector for suite 1');
    expect(toHex(await refhash(v.ref_hash.label, hex(v.ref_hash.value), impl.hash))).toBe(v.ref_hash.out);
    const e = v.expand_with_label;
    expect(toHex(await expandWithLabel(hex(e.secret), e.label, hex(e.context), e.length, impl.kdf))).toBe(
      e.out,
    );
    expect(toHex(await deriveSecret(hex(v.derive_secret.secret), v.derive_secret.label, impl.kdf))).toBe(
      v.derive_secret.out,
    );
    const t = v.derive_tree_secret;
    expect(toHex(await deriveTreeSecret(hex(t.secret), t.label, t.generation, t.length, impl.kdf))).toBe(
      t.out,
    );

    const s = v.sign_with_label;
    expect(await verifyWithLabel(hex(s.pub), s.label, hex(s.content), hex(s.signature), impl.signature)).toBe(
      true,
    );
    const ours = await signWithLabel(hex(s.priv), s.label, hex(s.content), impl.signature);
    expect(await verifyWithLabel(hex(s.pub), s.label, hex(s.content), ours, impl.signature)).toBe(true);

    const c = v.encrypt_with_label;
    const priv = await impl.hpke.importPrivateKey(hex(c.priv));
    const opened = await decryptWithLabel(
      priv,
      c.label,
      hex(c.context),
      hex(c.kem_output),
      hex(c.ciphertext),
      impl.hpke,
    );
    expect(toHex(new Uint8Array(opened))).toBe(c.plaintext);
    const sealed = await encryptWithLabel(
      await impl.hpke.importPublicKey(hex(c.pub)),
      c.label,
      hex(c.context),
      hex(c.plaintext),
      impl.hpke,
    );
    const reopened = await decryptWithLabel(priv, c.label, hex(c.context), sealed.enc, sealed.ct, impl.hpke);
    expect(toHex(new Uint8Array(reopened))).toBe(c.plaintext);
  });

  it('E2E-1 secret-tree: sender data key and nonce, handshake and application ratchets', async () => {
    const impl = await latchCiphersuite();
    const vectors = loadVectors<SecretTreeVector>('secret-tree.json', SUITE);
    expect(vectors.length).toBeGreaterThan(0);
    for (const v of vectors) {
      const sd = v.sender_data;
      expect(toHex(await expandSenderDataKey(impl, hex(sd.sender_data_secret), hex(sd.ciphertext)))).toBe(
        sd.key,
      );
      expect(toHex(await expandSenderDataNonce(impl, hex(sd.sender_data_secret), hex(sd.ciphertext)))).toBe(
        sd.nonce,
      );
      const tree = await createSecretTree(v.leaves.length, hex(v.encryption_secret), impl.kdf);
      for (const [leaf, generations] of v.leaves.entries()) {
        const node = tree[leafToNodeIndex(toLeafIndex(leaf))];
        if (!node) throw new Error('missing secret tree leaf');
        for (const g of generations) {
          for (const [start, key, nonce] of [
            [node.handshake, g.handshake_key, g.handshake_nonce],
            [node.application, g.application_key, g.application_nonce],
          ] as const) {
            const [at] = await ratchetUntil(start, g.generation, defaultKeyRetentionConfig, impl.kdf);
            expect(at.generation).toBe(g.generation);
            expect(toHex(await deriveKey(at.secret, at.generation, impl))).toBe(key);
            expect(toHex(await deriveNonce(at.secret, at.generation, impl))).toBe(nonce);
          }
        }
      }
    }
  });

  it('E2E-1 key-schedule: every epoch secret, external key and exporter', async () => {
    const impl = await latchCiphersuite();
    const [v] = loadVectors<KeyScheduleVector>('key-schedule.json', SUITE);
    if (!v) throw new Error('no key-schedule vector for suite 1');
    let initSecret = hex(v.initial_init_secret);
    for (const [index, e] of v.epochs.entries()) {
      const context: GroupContext = {
        version: 'mls10',
        cipherSuite: LATCH_CIPHERSUITE,
        groupId: hex(v.group_id),
        epoch: BigInt(index),
        treeHash: hex(e.tree_hash),
        confirmedTranscriptHash: hex(e.confirmed_transcript_hash),
        extensions: [],
      };
      expect(toHex(encodeGroupContext(context))).toBe(e.group_context);
      const s = await initializeEpoch(initSecret, hex(e.commit_secret), context, hex(e.psk_secret), impl.kdf);
      const k = s.keySchedule;
      expect(toHex(s.joinerSecret)).toBe(e.joiner_secret);
      expect(toHex(s.welcomeSecret)).toBe(e.welcome_secret);
      expect(toHex(s.encryptionSecret)).toBe(e.encryption_secret);
      expect(
        [
          k.initSecret,
          k.senderDataSecret,
          k.exporterSecret,
          k.externalSecret,
          k.confirmationKey,
          k.membershipKey,
          k.resumptionPsk,
          k.epochAuthenticator,
        ].map(toHex),
      ).toEqual([
        e.init_secret,
        e.sender_data_secret,
        e.exporter_secret,
        e.external_secret,
        e.confirmation_key,
        e.membership_key,
        e.resumption_psk,
        e.epoch_authenticator,
      ]);
      const external = await impl.hpke.deriveKeyPair(hex(e.external_secret));
      expect(toHex(await impl.hpke.exportPublicKey(external.publicKey))).toBe(e.external_pub);
      const x = e.exporter;
      expect(toHex(await mlsExporter(k.exporterSecret, x.label, hex(x.context), x.length, impl))).toBe(
        x.secret,
      );
      initSecret = k.initSecret;
    }
  });

  it('E2E-1 psk_secret: combining external PSKs', async () => {
    const impl = await latchCiphersuite();
    type Psk = { psk_id: string; psk: string; psk_nonce: string };
    const vectors = loadVectors<{ psks: Psk[]; psk_secret: string }>('psk_secret.json', SUITE);
    expect(vectors.length).toBeGreaterThan(0);
    for (const v of vectors) {
      const psks = v.psks.map(
        (p) =>
          [
            { psktype: 'external' as const, pskId: hex(p.psk_id), pskNonce: hex(p.psk_nonce) },
            hex(p.psk),
          ] as [Parameters<typeof computePskSecret>[0][number][0], Uint8Array],
      );
      expect(toHex(await computePskSecret(psks, impl))).toBe(v.psk_secret);
    }
  });

  it('E2E-1 transcript-hashes: confirmation tag, confirmed and interim transcript hashes', async () => {
    const impl = await latchCiphersuite();
    const [v] = loadVectors<TranscriptVector>('transcript-hashes.json', SUITE);
    if (!v) throw new Error('no transcript-hashes vector for suite 1');
    const ac = decodeAuthenticatedContent(hex(v.authenticated_content), 0)?.[0];
    if (ac?.content.contentType !== 'commit' || ac.auth.contentType !== 'commit')
      throw new Error('not a commit');
    const tag = ac.auth.confirmationTag;
    const macOk = await impl.hash.verifyMac(
      hex(v.confirmation_key),
      tag,
      hex(v.confirmed_transcript_hash_after),
    );
    expect(macOk).toBe(true);
    const input = { wireformat: ac.wireformat, content: ac.content, signature: ac.auth.signature };
    const confirmed = await createConfirmedHash(hex(v.interim_transcript_hash_before), input, impl.hash);
    expect(toHex(confirmed)).toBe(v.confirmed_transcript_hash_after);
    expect(toHex(await createInterimHash(confirmed, tag, impl.hash))).toBe(v.interim_transcript_hash_after);
  });
});

interface CryptoBasics {
  ref_hash: { label: string; value: string; out: string };
  expand_with_label: { secret: string; label: string; context: string; length: number; out: string };
  derive_secret: { secret: string; label: string; out: string };
  derive_tree_secret: { secret: string; label: string; generation: number; length: number; out: string };
  sign_with_label: { priv: string; pub: string; content: string; label: string; signature: string };
  encrypt_with_label: Record<
    'priv' | 'pub' | 'label' | 'context' | 'plaintext' | 'kem_output' | 'ciphertext',
    string
  >;
}

interface SecretTreeVector {
  encryption_secret: string;
  sender_data: Record<'sender_data_secret' | 'ciphertext' | 'key' | 'nonce', string>;
  leaves: ({ generation: number } & Record<
    'handshake_key' | 'handshake_nonce' | 'application_key' | 'application_nonce',
    string
  >)[][];
}

type EpochFields =
  | 'tree_hash'
  | 'commit_secret'
  | 'psk_secret'
  | 'confirmed_transcript_hash'
  | 'group_context'
  | 'joiner_secret'
  | 'welcome_secret'
  | 'init_secret'
  | 'sender_data_secret'
  | 'encryption_secret'
  | 'exporter_secret'
  | 'epoch_authenticator'
  | 'external_secret'
  | 'confirmation_key'
  | 'membership_key'
  | 'resumption_psk'
  | 'external_pub';

interface KeyScheduleVector {
  group_id: string;
  initial_init_secret: string;
  epochs: (Record<EpochFields, string> & {
    exporter: { label: string; context: string; length: number; secret: string };
  })[];
}

type TranscriptVector = Record<
  | 'confirmation_key'
  | 'authenticated_content'
  | 'interim_transcript_hash_before'
  | 'confirmed_transcript_hash_after'
  | 'interim_transcript_hash_after',
  string
>;
