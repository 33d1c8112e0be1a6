import type { CommandMetadata } from '../../domain/decider.js';
import type { SuijiError } from '../../domain/errors.js';
import type { RegisterCommand } from '../../domain/registers/index.js';
import type { DepartmentName, RowParser } from './row-parser.js';

/** What one importable register needs: its columns, how a row becomes a command, how a record becomes a row. */
export interface ImportKind<D> {
  readonly kind: 'targets' | 'inspectors';
  /** Chinese headers in export order; all are required on import. */
  readonly headers: readonly string[];
  /** Column of each top-level command-data field, to name the column of a schema error. */
  readonly columnOf: Readonly<Record<string, string>>;
  /** The column naming the owning department: where an L4 refusal (FORBIDDEN) points. */
  readonly ownerColumn: string;
  parse(p: RowParser): D;
  /** The command schema's check (final word on lengths and patterns). */
  validate(data: unknown): D | SuijiError;
  key(data: D): string;
  command(data: D, metadata: CommandMetadata): RegisterCommand;
  format(data: D, departments: readonly DepartmentName[] | undefined): string[];
}
