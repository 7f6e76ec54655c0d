/**
 * E2E-1, part 3: the ratchet tree (operations, validation, TreeKEM) against the MLS working
 * group's vectors for suite 1. Module subpaths as in primitives.test.ts.
 */
import type { GroupContext, RatchetTree } from 'ts-mls';
import { applyUpdatePathSecret } from 'ts-mls/createCommit.js';
import { deriveSecret } from 'ts-mls/crypto/kdf.js';
import { verifyLeafNodeSignature } from 'ts-mls/leafNode.js';
import { verifyParentHashes } from 'ts-mls/parentHash.js';
import { getCommitSecret, type PathSecrets } from 'ts-mls/pathSecrets.js';
import { type PrivateKeyPath, toPrivateKeyPath } from 'ts-mls/privateKeyPath.js';
import { decodeProposal } from 'ts-mls/proposal.js';
import {
  addLeafNode,
  decodeRatchetTree,
  encodeRatchetTree,
  getHpkePublicKey,
  removeLeafNode,
  resolution,
  updateLeafNode,
} from 'ts-mls/ratchetTree.js';
import { treeHash, treeHashRoot } from 'ts-mls/treeHash.js';
import { leafToNodeIndex, nodeToLeafIndex, toLeafIndex, toNodeIndex } from 'ts-mls/treemath.js';
import { applyUpdatePath, createUpdatePath, decodeUpdatePath } from 'ts-mls/updatePath.js';
import { describe, expect, it } from 'vitest';
import { LATCH_CIPHERSUITE, LATCH_CIPHERSUITE_ID, latchCiphersuite } from '../ciphersuite';
import { hex, loadVectors, toHex, vectorsAvailable } from './vectors';

const SUITE = LATCH_CIPHERSUITE_ID;

function tree(text: string): RatchetTree {
  const decoded = decodeRatchetTree(hex(text), 0);
  if (!decoded) throw new Error('could not decode the tree');
  return decoded[0];
}

describe.runIf(vectorsAvailable('trees.test.ts'))('E2E-1 RFC 9420 test vectors: trees', () => {
  it('E2E-1 tree-operations: Add, Update and Remove change the tree and its hash as the RFC says', async () => {
    const impl = await latchCiphersuite();
    type V = Record<
      'tree_before' | 'tree_after' | 'tree_hash_before' | 'tree_hash_after' | 'proposal',
      string
    > & {
      proposal_sender: number;
    };
    const vectors = loadVectors<V>('tree-operations.json', SUITE);
    expect(vectors.length).toBeGreaterThan(0);
    for (const v of vectors) {
      const before = tree(v.tree_before);
      expect(toHex(await treeHashRoot(before, impl.hash))).toBe(v.tree_hash_before);
      const p = decodeProposal(hex(v.proposal), 0)?.[0];
      let after: RatchetTree;
      if (p?.proposalType === 'add') after = addLeafNode(before, p.add.keyPackage.leafNode)[0];
      else if (p?.proposalType === 'update')
        after = updateLeafNode(before, p.update.leafNode, toLeafIndex(v.proposal_sender));
      else if (p?.proposalType === 'remove') after = removeLeafNode(before, toLeafIndex(p.remove.removed));
      else throw new Error(`unexpected proposal ${String(p?.proposalType)}`);
      expect(toHex(encodeRatchetTree(after))).toBe(v.tree_after);
      expect(toHex(await treeHashRoot(after, impl.hash))).toBe(v.tree_hash_after);
    }
  });

  it('E2E-1 tree-validation: tree hashes, resolutions, parent hashes and leaf signatures', async () => {
    const impl = await latchCiphersuite();
    type V = { tree: string; group_id: string; tree_hashes: string[]; resolutions: number[][] };
    const vectors = loadVectors<V>('tree-validation.json', SUITE);
    expect(vectors.length).toBeGreaterThan(0);
    for (const v of vectors) {
      const t = tree(v.tree);
      for (const [i, h] of v.tree_hashes.entries())
        expect(toHex(await treeHash(t, toNodeIndex(i), impl.hash))).toBe(h);
      for (const [i, r] of v.resolutions.entries()) expect(resolution(t, toNodeIndex(i))).toEqual(r);
      expect(await verifyParentHashes(t, impl.hash)).toBe(true);
      for (const [i, node] of t.entries()) {
        if (node?.nodeType !== 'leaf') continue;
        const leafIndex = nodeToLeafIndex(toNodeIndex(i));
        expect(await verifyLeafNodeSignature(node.leaf, hex(v.group_id), leafIndex, impl.signature)).toBe(
          true,
        );
      }
    }
  });

  it('E2E-1 treekem: path secrets and commit secrets from each UpdatePath, for every leaf that holds keys', async () => {
    const impl = await latchCiphersuite();
    const vectors = loadVectors<TreeKemVector>('treekem.json', SUITE);
    expect(vectors.length).toBeGreaterThan(0);
    for (const v of vectors) {
      const t = tree(v.ratchet_tree);
      const context: GroupContext = {
        version: 'mls10',
        cipherSuite: LATCH_CIPHERSUITE,
        groupId: hex(v.group_id),
        epoch: BigInt(v.epoch),
        treeHash: await treeHashRoot(t, impl.hash),
        confirmedTranscriptHash: hex(v.confirmed_transcript_hash),
        extensions: [],
      };
      const privatePaths = new Map<number, PrivateKeyPath>();
      for (const leaf of v.leaves_private) {
        const secrets: PathSecrets = Object.fromEntries(
          leaf.path_secrets.map((p) => [p.node, hex(p.path_secret)]),
        );
        // Each path secret derives the public key the tree holds at that node.
        for (const [node, secret] of Object.entries(secrets)) {
          const pair = await impl.hpke.deriveKeyPair(await deriveSecret(secret, 'node', impl.kdf));
          const held = t[Number(node)];
          if (!held) throw new Error('blank node with a path secret');
          expect(toHex(getHpkePublicKey(held))).toBe(toHex(await impl.hpke.exportPublicKey(pair.publicKey)));
        }
        const path = await toPrivateKeyPath(secrets, leaf.index, impl);
        const own = leafToNodeIndex(toLeafIndex(leaf.index));
        privatePaths.set(leaf.index, {
          ...path,
          privateKeys: { ...path.privateKeys, [own]: hex(leaf.encryption_priv) },
        });
      }
      for (const up of v.update_paths) {
        const decoded = decodeUpdatePath(hex(up.update_path), 0);
        if (!decoded) throw new Error('could not decode the UpdatePath');
        const updated = await applyUpdatePath(t, toLeafIndex(up.sender), decoded[0], impl.hash);
        const hashAfter = await treeHashRoot(updated, impl.hash);
        expect(toHex(hashAfter)).toBe(up.tree_hash_after);
        // And the other way: a fresh UpdatePath by the same sender, which every other leaf opens.
        const sender = v.leaves_private.find((l) => l.index === up.sender);
        if (!sender) throw new Error('no private state for the sender');
        const [fresh, freshPath, freshSecrets] = await createUpdatePath(
          updated,
          toLeafIndex(up.sender),
          { ...context, treeHash: hashAfter },
          hex(sender.signature_priv),
          impl,
        );
        const rootSecret = freshSecrets.at(-1);
        if (!rootSecret) throw new Error('no path secrets');
        const freshCommitSecret = toHex(await deriveSecret(rootSecret.secret, 'path', impl.kdf));
        const freshContext = {
          ...context,
          treeHash: await treeHashRoot(fresh, impl.hash),
          epoch: context.epoch + 1n,
        };
        for (const [index, privatePath] of privatePaths) {
          if (index === up.sender) {
            expect(up.path_secrets[index]).toBeNull();
            continue;
          }
          const got = await applyUpdatePathSecret(
            t,
            privatePath,
            toLeafIndex(up.sender),
            { ...context, treeHash: hashAfter },
            decoded[0],
            [],
            impl,
          );
          expect(toHex(got.pathSecret)).toBe(up.path_secrets[index]);
          expect(toHex(await getCommitSecret(t, got.nodeIndex, got.pathSecret, impl.kdf))).toBe(
            up.commit_secret,
          );
          const opened = await applyUpdatePathSecret(
            t,
            privatePath,
            toLeafIndex(up.sender),
            freshContext,
            freshPath,
            [],
            impl,
          );
          expect(toHex(await getCommitSecret(t, opened.nodeIndex, opened.pathSecret, impl.kdf))).toBe(
            freshCommitSecret,
          );
        }
      }
    }
  });
});

interface TreeKemVector {
  group_id: string;
  epoch: number;
  confirmed_transcript_hash: string;
  ratchet_tree: string;
  leaves_private: {
    index: number;
    encryption_priv: string;
    signature_priv: string;
    path_secrets: { node: number; path_secret: string }[];
  }[];
  update_paths: {
    sender: number;
    update_path: string;
    path_secrets: (string | null)[];
    commit_secret: string;
    tree_hash_after: string;
  }[];
}
