export { CanonicalizationError, canonicalize, canonicalMember } from './canonical-json.js';
export {
  EMPTY_ROOT,
  HASH_SIZE,
  hashFromBase64,
  hashFromHex,
  hashToBase64,
  hashToHex,
  leafHash,
  nodeHash,
} from './hashing.js';
export { merkleRoot, referenceConsistencyProof, referenceInclusionProof } from './merkle.js';
export { CompactRange, type CompactRangeState, type TreeNode } from './compact-range.js';
export {
  InMemoryTileStore,
  TILE_HEIGHT,
  TILE_WIDTH,
  changedTiles,
  parseTilePath,
  partialTileWidth,
  tileKey,
  tilePath,
  type TileReader,
  type TileRequest,
  type TileUpdate,
  type TileWriter,
} from './tiles.js';
export { MissingTileError, TiledMerkleTree } from './tiled-merkle-tree.js';
export {
  checkConsistency,
  checkInclusion,
  verifyConsistency,
  verifyInclusion,
  type ProofCheck,
} from './proof-verification.js';
export {
  SignedNoteError,
  addSignatures,
  splitNote,
  type NoteSignature,
  generateSignerKey,
  isValidKeyName,
  keyIdOf,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  verifierKeyOf,
  type NoteSigner,
  type NoteVerifier,
  type SignedNoteErrorCode,
} from './signed-note.js';
export { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint, type Checkpoint } from './checkpoint.js';
export {
  ed25519PrivateKeyFromBase64,
  ed25519PublicKeyBase64,
  ed25519PublicKeyFromBase64,
  eventSigningBytes,
  generateEventSigningKey,
  signEvent,
  verifyEventSignature,
  type EventSignature,
} from './event-signature.js';
export {
  COSIGNATURE_V1_TYPE,
  checkQuorum,
  cosign,
  cosignedMessage,
  cosignerVerifierKey,
  generateCosignerKey,
  parseCosignatureVerifierKey,
  parseCosignerKey,
  verifyCosignatures,
  type Cosignature,
  type CosignatureVerifier,
  type Cosigner,
  type QuorumCheck,
} from './cosignature.js';
export { KEY_ROTATION_EXTENSION, LogKeyring, keyRotationLine, parseKeyRotation, type LogKeyEpoch } from './log-keyring.js';
export {
  MAX_PROOF_LINES,
  TLOG_SIZE_CONTENT_TYPE,
  WitnessRequestError,
  decideAddCheckpoint,
  formatAddCheckpointRequest,
  parseAddCheckpointRequest,
  type AddCheckpointRequest,
  type WitnessDecision,
  type WitnessedLog,
} from './witness-protocol.js';
export * from './checkpoint-name.js';
export { isFullStoredForm, spliceMetadata, STORED_METADATA_KEYS, type StoredMetadata } from './stored-form.js';
