import type { Diagnostic, DiagnosticCode, PathPointer } from '@learnpath/schema';
import type { SourcePosition } from '../types.js';
import { PositionMap } from './source.js';

/** Collects the diagnostics of one document and where each part of its path was written. */
export class Report {
  readonly diagnostics: Diagnostic[] = [];
  readonly positions = new PositionMap();

  constructor(readonly file: string) {}

  /** Records an error at a place. */
  error(at: SourcePosition, code: DiagnosticCode, message: string): void {
    this.diagnostics.push({ file: this.file, line: at.line, column: at.column, severity: 'error', code, message });
  }

  /** Records a warning at a place. */
  warning(at: SourcePosition, code: DiagnosticCode, message: string): void {
    this.diagnostics.push({ file: this.file, line: at.line, column: at.column, severity: 'warning', code, message });
  }

  /** Records where the thing at `pointer` (or its `member`) was written. */
  position(pointer: PathPointer, at: SourcePosition, member?: string | number): void {
    this.positions.set(pointer, at, member);
  }

  /** Records where the members of the thing at `pointer` were written (see `PositionMap.setMembers`). */
  positionMembers(pointer: PathPointer, at: SourcePosition): void {
    this.positions.setMembers(pointer, at);
  }
}
