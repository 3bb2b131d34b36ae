/** The error every Seller Center import problem is reported with; its message is meant for the seller as it is. */

export interface ImportErrorLocation {
  file: string;
  sheet?: string;
  row?: number;
  column?: string;
}

/** A file that cannot be imported; `message` names the file (and sheet, row, column, value where there is one). */
export class ImportError extends Error {
  constructor(message: string, readonly location: ImportErrorLocation) {
    super(message);
    this.name = 'ImportError';
  }
}

export function fileError(file: string, message: string, loc: Partial<ImportErrorLocation> = {}): ImportError {
  return new ImportError(message, { file, ...loc });
}
