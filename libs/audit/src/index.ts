/**
 * The auditor's use cases, shared by the CLI (apps/ledger-cli) and the HTTP API: the full-log
 * verifier, audit bundles (export, and offline verification with only the public key), and the
 * replay of a contract's compliance as of a moment. The offline parts (verifyBundle, replay,
 * renderReplay) read no database, no network and no clock.
 */
export {
  BUNDLE_FORMAT,
  BUNDLE_VERSION,
  bodyDigest,
  digestText,
  parseStatement,
  serializeBundle,
  statementText,
  type AuditBundle,
  type BundleBody,
  type BundleEvent,
  type Statement,
} from './bundle/bundle-format.js';
export {
  PartyKeyring,
  parsePinnedKeys,
  partyKeyShapeProblem,
  pinnedKeyring,
  type PartyKey,
  type SignatureFault,
  type SignatureVerdict,
} from './signatures/party-keys.js';
export { verifyBundle, type BundleVerification, type VerifyBundleOptions } from './bundle/verify-bundle.js';
export { bundleFileName, checkExportRequest, collectBundleBody, exportBundle, type ExportedBundle, type ExportProgress, type ExportRequest, type ExportSources, type SigningKeySource } from './bundle/export-bundle.js';
export { REPLAY_FORMAT, replay, type ArticleSummary, type EvidenceEvent, type ReplayReport, type ReplayRequest } from './replay/replay.js';
export { REPLAY_CONTENT_TYPES, REPLAY_FORMATS, renderReplay, type ReplayFormat } from './replay/render.js';
export { replayFromLedger, type LedgerReplay } from './replay/replay-ledger.js';
export { verifyLog, type CheckpointSummary, type VerifyLogOptions, type VerifyLogReport } from './verify/verify-log.js';
export type { LogProblem, LogProblemKind } from './verify/problems.js';
