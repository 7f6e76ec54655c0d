export {
  type AccountSigner,
  accountSignerFromKey,
  certificateFromCredential,
  credentialFromCertificate,
  issueDeviceCertificate,
  type LeafVerdict,
  validateLeaf,
  verifyCertificateSignature,
} from './certificate';
export { LATCH_CIPHERSUITE, LATCH_CIPHERSUITE_ID, latchCiphersuite } from './ciphersuite';
export { createLatchMls, type LatchMls } from './context';
export {
  type DeviceMlsIdentity,
  deviceIdentity,
  generateMlsSignatureKeyPair,
  LAST_RESORT_EXTENSION_TYPE,
  type LocalKeyPackage,
  type MlsSignatureKeyPair,
  makeKeyPackage,
} from './device';
export { type MlsRefusalCode, MlsRefused } from './errors';
export {
  addDevices,
  assertTrustedGroup,
  commitPending,
  createChatGroup,
  decodeKeyPackage,
  encryptMessage,
  epochOf,
  exportGroupState,
  type GroupMember,
  type GroupState,
  groupIdForChat,
  groupMembers,
  hasPendingProposals,
  importGroupState,
  type PendingCommit,
  removeDevices,
} from './group';
export { type Incoming, processIncoming } from './incoming';
export { bucketFor, MAX_PLAINTEXT_BYTES, PADDING_BUCKETS, pad, unpad } from './padding';
export { generateSealingKey, seal, unseal } from './seal';
export {
  generateServerSigningKey,
  inspectMessage,
  type MessageHeader,
  proposeRemoveAsServer,
  type ServerSigningKey,
} from './server';
export { externalSendersExtension, SERVER_CREDENTIAL, TrustStore } from './trust';
export { joinFromWelcome } from './welcome';
