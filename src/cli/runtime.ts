import type { Database } from 'better-sqlite3';
import { loadCalendar } from '../app/calendar/index.js';
import type { WorkingCalendar } from '../domain/calendar/index.js';
import { EventCatalogue } from '../domain/catalogue.js';
import { allEventDefinitions } from '../domain/events.js';
import { allProjections } from '../projections/catalogue.js';
import { ProjectionRunner, openProjectionDb } from '../projections/runner.js';
import { join } from 'node:path';
import { CHECKPOINT_FILE, PostgresLedgerTree, guardCheckpoint, isEsdbUrl, openStore, storeLocationOf, type CheckpointKeeper } from '../store/index.js';
import type { EventStore } from '../store/port.js';
import { EvidenceStore, evidenceLimitsFromEnv } from '../store/evidence/index.js';
import { ledgerPublicUnsupported, openLedgerPublicOn, type LedgerPublic } from '../app/ledger/index.js';
import { CosignatureStore, openCosignatures, openPostgresCosignatures, sqliteCosignatureRecords, type CosignatureRecords, type CosignatureService } from '../app/cosignatures/index.js';

/** Everything a CLI command or the server needs, opened on one data directory. */
export interface Runtime {
  readonly dataDir: string;
  readonly catalogue: EventCatalogue;
  readonly store: EventStore;
  readonly projectionDb: Database;
  readonly projections: ProjectionRunner;
  /** Keeps `<dataDir>/checkpoint` current after every append (issue 7 §4). */
  readonly checkpoint: CheckpointKeeper;
  /** The statutory working-day calendar: `chinese-days` plus `<dataDir>/calendar/holidays-<year>.json` (E5, E7, A4). */
  readonly calendar: WorkingCalendar;
  /** Evidence blobs in `<dataDir>/evidence` (E10); limits from SUIJI_EVIDENCE_MAX_BYTES / SUIJI_EVIDENCE_TYPES (A4). */
  readonly evidence: EvidenceStore;
  /** Signed checkpoints and proofs (issue 11, V4); signs with `<dataDir>/keys/log.key` when present. */
  readonly ledger: LedgerPublic;
  /**
   * Accepting witness cosignatures (issue 11; POST /ledger/cosignatures), the witnesses from
   * `<dataDir>/keys/witnesses` and SUIJI_WITNESSES — opened only with `options.cosignatures`
   * (serve); null otherwise. Accepted cosignatures are served with the signed checkpoints either way.
   */
  readonly cosignatures: CosignatureService | null;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /**
   * The ledger's location when it is not the SQLite file in the data directory: a
   * `postgres://` URL or an `esdb://` connection string (serve --store). Default: $SUIJI_STORE, so every command that opens a
   * ledger follows it. Read models, the checkpoint file, evidence and the calendar stay in the data directory.
   */
  readonly store?: string;
  /** Open a ledger that does not extend `<dataDir>/checkpoint` anyway (serve --accept-rollback). */
  readonly acceptRollback?: boolean;
  /** Where loud warnings go (the server's logger); default stderr. */
  readonly warn?: (message: string, details: Record<string, unknown>) => void;
  readonly info?: (message: string, details: Record<string, unknown>) => void;
  /** The store's clock (`recordedAt`); tests fix it to compare ledger roots. Default: the system clock. */
  readonly clock?: () => Date;
  /**
   * Open the service that accepts witness cosignatures (serve): the witness keys are read now,
   * so a malformed or unreadable `<dataDir>/keys/witnesses` stops start-up. Other commands never
   * read them — a bad witness file must not stop an import, an export or a token issue.
   */
  readonly cosignatures?: boolean;
}

/** Cosignatures on EventStoreDB: every call answers STORE_FEATURE_UNSUPPORTED. */
function refusingRecords(location: string): CosignatureRecords {
  const refuse = async (): Promise<never> => {
    throw ledgerPublicUnsupported(location);
  };
  return { put: refuse, lines: refuse, linesAt: refuse, newest: refuse, close: async () => undefined };
}

const stderrWarn = (message: string, details: Record<string, unknown>): void =>
  void process.stderr.write(`警告 / WARNING: ${message} ${JSON.stringify(details)}\n`);

/**
 * Opens the store, refusing a ledger that does not extend the checkpoint kept outside the
 * database file (a coded LEDGER_ROLLED_BACK), and the read models.
 */
export async function openRuntime(dataDir: string, options: RuntimeOptions = {}): Promise<Runtime> {
  // First, before the ledger opens: a bad holiday file stops start-up with its coded error
  // (A4) rather than leave deadlines to be counted on a wrong calendar.
  const { calendar } = loadCalendar(dataDir);
  // Likewise a bad evidence limit in the environment (A4) stops start-up, before the ledger opens.
  const evidence = new EvidenceStore(dataDir, evidenceLimitsFromEnv());
  const catalogue = new EventCatalogue(allEventDefinitions);
  let keeper: CheckpointKeeper | undefined;
  const store = await openStore({
    dataDir,
    store: storeLocationOf(options.store),
    // Every payload is checked against its event's JSON Schema before anything is written.
    validate: (e) => {
      catalogue.validate(e.type, e.payload);
    },
    onCommitted: (head) => keeper?.record(head),
    ...(options.clock && { clock: options.clock }),
  });
  try {
    keeper = await guardCheckpoint(store, {
      file: join(dataDir, CHECKPOINT_FILE),
      acceptRollback: options.acceptRollback ?? false,
      warn: options.warn ?? stderrWarn,
    });
  } catch (err) {
    await store.close();
    throw err;
  }
  const checkpoint = keeper;
  // Signed checkpoints, the node cache and cosignatures live with the ledger: the SQLite file,
  // or the PostgreSQL schema every instance shares; on EventStoreDB they answer a coded refusal.
  const location = storeLocationOf(options.store);
  let records: CosignatureRecords;
  let cosignatures: CosignatureService | null;
  let ledger: Awaited<ReturnType<typeof openLedgerPublicOn>>;
  try {
    // Signed checkpoints carry the accepted cosignatures for every command (an export too).
    ledger = await openLedgerPublicOn(dataDir, location, { warn: options.warn ?? stderrWarn, cosignatures: (size) => records.linesAt(size) });
    try {
      if (ledger.tree instanceof PostgresLedgerTree) records = await openPostgresCosignatures(ledger.tree.connection.pool, ledger.tree.connection.schema);
      else if (location !== undefined && isEsdbUrl(location)) records = refusingRecords(location);
      else records = sqliteCosignatureRecords(CosignatureStore.open(dataDir));
      try {
        // The service closes `records` itself; the runtime closes them once, below.
        cosignatures = options.cosignatures === true ? openCosignatures(dataDir, store, process.env, records) : null;
      } catch (err) {
        await records.close();
        throw err;
      }
    } catch (err) {
      await ledger.close();
      throw err;
    }
  } catch (err) {
    await store.close();
    throw err;
  }
  const projectionDb = openProjectionDb(dataDir);
  const projections = new ProjectionRunner(store, projectionDb, allProjections(), {
    warn: options.warn ?? stderrWarn,
    info: options.info ?? (() => undefined),
  });
  return {
    dataDir,
    catalogue,
    store,
    projectionDb,
    projections,
    checkpoint,
    calendar,
    evidence,
    ledger: ledger.ledger,
    cosignatures,
    async close() {
      await projections.stop();
      projectionDb.close();
      await records.close();
      await ledger.close();
      await store.close();
      await checkpoint.flush();
    },
  };
}
