import type { EventStore } from '../store/port.js';
import type { ProjectionRunner } from '../projections/runner.js';
import type { ImportLimits } from '../app/registers-io/index.js';
import type { EvidenceStore } from '../store/evidence/index.js';
import type { LedgerPublic } from '../app/ledger/index.js';
import type { CosignatureService } from '../app/cosignatures/index.js';

/** What the HTTP layer needs; `buildApp(deps)` is separate from `listen()` so tests use inject. */
export interface AppDeps {
  readonly store: EventStore;
  readonly projections: ProjectionRunner;
  /** Upload limits of POST /imports (docs/registers.md); defaults when absent. */
  readonly importLimits?: Partial<ImportLimits>;
  /** The evidence store (E10, `<data>/evidence`); without it the /evidence routes are not served. */
  readonly evidence?: EvidenceStore;
  /** Signed checkpoints and proofs (issue 11, V4); without it the /ledger routes are not served and record proofs answer 503 LOG_KEY_MISSING. */
  readonly ledger?: LedgerPublic;
  /** Witness cosignatures (issue 11); without it POST /ledger/cosignatures is not served. */
  readonly cosignatures?: CosignatureService;
  /** The log's verifier key (`<data>/keys/log.vkey`), shown on the public replay and ledger pages; read per request. */
  readonly logVerifierKey?: () => string | null;
}
