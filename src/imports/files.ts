/**
 * Reads a Seller Center export file (CSV or .xlsx) into plain tables of text.
 *
 * `readExportFile(name, bytes)` returns every sheet as a rectangular grid of strings, the text a
 * person sees in the cell, positioned as in the file: `rows[0][0]` is cell A1, so
 * `rows[r][c]` is row `r + 1` of the spreadsheet and the column `c` letters (A = 0). Cells that
 * are missing or empty are ''. The grid is sized from the cells that hold a value (never from
 * the xlsx `<dimension>` tag, which TikTok's files carry stale); trailing empty rows and columns
 * are dropped, so an empty sheet is `rows: []`.
 *
 * Dates. An .xlsx stores a date as a serial number (days since 1899-12-30, or since 1904-01-01
 * when `date1904`), told apart from an amount only by the cell's number format. Such a cell's
 * text is the stored number ("45292.5") and `dates[r][c]` is true. `dates` has exactly the shape
 * of `rows`; it is all false for CSV (where a date is whatever text the file holds) and for
 * xlsx cells that are not numbers. `excelSerialToUtcMs` turns a serial into a time.
 *
 * Cell text in .xlsx: shared strings (rich-text runs concatenated, phonetic runs left out),
 * inline strings, numbers as stored ("12.5", "1E-3"), booleans as "TRUE"/"FALSE", errors as
 * stored ("#N/A"), formula cells by their cached value.
 *
 * Everything here is synchronous and uses no Node or DOM API: it runs in Apps Script's V8.
 * Unzipping is done by `fflate` (only `unzipSync` is bundled, ~5 KB minified); the XML is read
 * by the small tokenizer below.
 */
import { unzipSync } from 'fflate';

export interface ExportSheet {
  /** The sheet's name (xlsx), or the file name without its extension (CSV). */
  name: string;
  /** Rectangular grid of cell text; rows[0][0] is A1. */
  rows: string[][];
  /** Same shape as `rows`; true where the cell is an xlsx number with a date or time format. */
  dates: boolean[][];
}

export interface ExportTables {
  format: 'csv' | 'xlsx';
  /** In workbook order; one sheet for a CSV file. */
  sheets: ExportSheet[];
  /** xlsx only: serials count from 1904-01-01 (old Mac workbooks). Always false for CSV. */
  date1904: boolean;
}

/** A file that cannot be read; the message names the file and what is wrong with it. */
export class ExportFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportFileError';
  }
}

/** Reads a CSV or .xlsx export. The format is told from the bytes (a zip is an .xlsx), not the name. */
export function readExportFile(name: string, bytes: Uint8Array): ExportTables {
  const b = bytes;
  const ext = extensionOf(name);
  if (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5) && (b[3] === 4 || b[3] === 6)) {
    return readXlsx(name, bytes);
  }
  if (b.length >= 4 && b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0) {
    throw new ExportFileError(
      `${name}: an old-style .xls or password-protected workbook, which cannot be read; open it and save it as .xlsx (without a password) or CSV`,
    );
  }
  if (ext === 'xlsx' || ext === 'xlsm') throw new ExportFileError(`${name}: not an .xlsx (zip) file`);
  if (ext === 'xls') throw new ExportFileError(`${name}: not a workbook this add-on can read; save it as .xlsx or CSV`);
  const dot = name.lastIndexOf('.');
  return { format: 'csv', sheets: [parseCsv(name, decodeText(bytes), dot > 0 ? name.slice(0, dot) : name)], date1904: false };
}

/** Milliseconds since 1970 (UTC) of an Excel date serial; the serial's local wall time read as UTC. */
export function excelSerialToUtcMs(serial: number, date1904 = false): number {
  // 25569 = days from 1899-12-30 to 1970-01-01; 1904 system: 24107 = 1904-01-01. Serials below 61
  // in the 1900 system sit before Excel's phantom 1900-02-29 and are one day off; exports never have them.
  const epochDays = date1904 ? 24107 : 25569;
  return Math.round((serial - epochDays) * 86400000);
}

// ---------------------------------------------------------------------------------------------
// Text decoding

/** UTF-8 (BOM or not), or UTF-16 with a BOM; bytes that are not valid UTF-8 are read as Windows-1252. */
function decodeText(b: Uint8Array): string {
  if (b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff))) {
    const le = b[0] === 0xff;
    const units: number[] = [];
    for (let i = 2; i + 1 < b.length; i += 2) units.push(le ? b[i] | (b[i + 1] << 8) : (b[i] << 8) | b[i + 1]);
    return fromCodeUnits(units);
  }
  const start = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  return decodeUtf8(b, start) ?? decodeCp1252(b);
}

/** Strict UTF-8; null if the bytes are not valid UTF-8. */
function decodeUtf8(b: Uint8Array, start = 0): string | null {
  // A UTF-16 string never has more code units than the UTF-8 bytes it came from.
  const units = new Uint16Array(b.length);
  let u = 0;
  for (let i = start; i < b.length; ) {
    const c = b[i];
    if (c < 0x80) { units[u++] = c; i++; continue; }
    let cp: number, extra: number;
    if (c >= 0xc2 && c < 0xe0) { cp = c & 0x1f; extra = 1; }
    else if (c >= 0xe0 && c < 0xf0) { cp = c & 0x0f; extra = 2; }
    else if (c >= 0xf0 && c < 0xf5) { cp = c & 0x07; extra = 3; }
    else return null;
    if (i + extra >= b.length) return null;
    for (let k = 1; k <= extra; k++) {
      const cc = b[i + k];
      if ((cc & 0xc0) !== 0x80) return null;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if ((extra === 2 && cp < 0x800) || (extra === 3 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp < 0xe000)) return null;
    if (cp >= 0x10000) { cp -= 0x10000; units[u++] = 0xd800 + (cp >> 10); units[u++] = 0xdc00 + (cp & 0x3ff); }
    else units[u++] = cp;
    i += extra + 1;
  }
  return fromCodeUnits(units.subarray(0, u));
}

const CP1252_80_9F = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

function decodeCp1252(b: Uint8Array): string {
  const units: number[] = [];
  for (let i = 0; i < b.length; i++) units.push(b[i] >= 0x80 && b[i] < 0xa0 ? CP1252_80_9F[b[i] - 0x80] : b[i]);
  return fromCodeUnits(units);
}

function fromCodeUnits(units: ArrayLike<number> & { slice(a: number, b: number): ArrayLike<number> }): string {
  let s = '';
  for (let i = 0; i < units.length; i += 8192) s += String.fromCharCode.apply(null, units.slice(i, i + 8192) as number[]);
  return s;
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180, plus `;` or tab separators when the header line has no comma)

function parseCsv(file: string, text: string, sheetName: string): ExportSheet {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const sep = detectSeparator(text);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    let ch = text[i];
    // A quoted field: only when the quote opens the field (spaces before it are dropped).
    if (field === '') {
      let j = i;
      while (j < n && (text[j] === ' ' || (text[j] === '\t' && sep !== '\t'))) j++;
      if (text[j] === '"') {
        const openLine = line;
        field = '';
        i = j + 1;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q < 0) throw new ExportFileError(`${file}, line ${openLine}: a quoted field is not closed`);
          const chunk = text.slice(i, q);
          line += countNewlines(chunk);
          field += chunk.replace(/\r\n?/g, '\n');
          if (text[q + 1] === '"') { field += '"'; i = q + 2; continue; }
          i = q + 1;
          break;
        }
        // After the closing quote: spaces up to the separator are dropped; other text is kept.
        let k = i;
        while (k < n && (text[k] === ' ' || (text[k] === '\t' && sep !== '\t'))) k++;
        if (k >= n || text[k] === sep || text[k] === '\n' || text[k] === '\r') i = k;
        if (i >= n) break;
        ch = text[i];
        if (ch !== sep && ch !== '\n' && ch !== '\r') {
          // `"ab"c`: kept as `abc`, as spreadsheets do.
          const end = nextDelimiter(text, i, sep);
          field += text.slice(i, end);
          i = end;
          continue;
        }
      }
    }
    if (ch === sep) { row.push(field); field = ''; i++; continue; }
    if (ch === '\n' || ch === '\r') {
      row.push(field); rows.push(row); row = []; field = '';
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      continue;
    }
    const end = nextDelimiter(text, i, sep);
    field += text.slice(i, end);
    i = end;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rectangular(sheetName, rows);
}

function nextDelimiter(text: string, from: number, sep: string): number {
  let i = from;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === sep || c === '\n' || c === '\r') break;
    i++;
  }
  return i;
}

function countNewlines(s: string): number {
  let count = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10) count++;
    else if (c === 13 && s.charCodeAt(i + 1) !== 10) count++;
  }
  return count;
}

/** ',' unless the header line (outside quotes) has none, then ';' or tab, whichever is more frequent. */
function detectSeparator(text: string): string {
  let commas = 0, semis = 0, tabs = 0, inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (inQuotes) continue;
    else if (c === '\n' || c === '\r') break;
    else if (c === ',') commas++;
    else if (c === ';') semis++;
    else if (c === '\t') tabs++;
  }
  if (commas > 0 || (semis === 0 && tabs === 0)) return ',';
  return tabs > semis ? '\t' : ';';
}

/** Pads rows to the widest row with a value and drops trailing empty rows and columns. */
function rectangular(name: string, raw: string[][], rawDates?: boolean[][]): ExportSheet {
  let height = 0, width = 0;
  for (let r = 0; r < raw.length; r++) {
    const row = raw[r];
    if (!row) continue;
    for (let c = row.length - 1; c >= 0; c--) {
      if (row[c] !== undefined && row[c] !== '') { if (c + 1 > width) width = c + 1; height = r + 1; break; }
    }
  }
  const rows: string[][] = [];
  const dates: boolean[][] = [];
  for (let r = 0; r < height; r++) {
    const src = raw[r];
    const srcDates = rawDates?.[r];
    const row: string[] = new Array(width);
    const drow: boolean[] = new Array(width);
    for (let c = 0; c < width; c++) {
      row[c] = (src && src[c]) || '';
      drow[c] = !!(srcDates && srcDates[c]);
    }
    rows.push(row);
    dates.push(drow);
  }
  return { name, rows, dates };
}

// ---------------------------------------------------------------------------------------------
// A minimal XML tokenizer: tags, attributes, text and CDATA; entities decoded; namespace
// prefixes dropped from element names. No DTDs, no validation: enough for OOXML parts.

interface XmlHandler {
  open(name: string, attrs: Record<string, string>, selfClosing: boolean): void;
  close(name: string): void;
  text(text: string): void;
}

class XmlError extends Error {}

function scanXml(xml: string, h: XmlHandler): void {
  const n = xml.length;
  let i = 0;
  while (i < n) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) { h.text(decodeEntities(xml.slice(i))); break; }
    if (lt > i) h.text(decodeEntities(xml.slice(i, lt)));
    const c = xml.charCodeAt(lt + 1);
    if (c === 63 /* ? */) {
      i = endOf(xml, '?>', lt);
    } else if (c === 33 /* ! */) {
      if (xml.startsWith('<!--', lt)) i = endOf(xml, '-->', lt);
      else if (xml.startsWith('<![CDATA[', lt)) {
        const e = xml.indexOf(']]>', lt);
        if (e < 0) throw new XmlError('an unclosed CDATA section');
        h.text(xml.slice(lt + 9, e));
        i = e + 3;
      } else {
        const bracket = xml.indexOf('[', lt), gt = xml.indexOf('>', lt);
        i = bracket >= 0 && bracket < gt ? endOf(xml, ']>', lt) : endOf(xml, '>', lt);
      }
    } else if (c === 47 /* / */) {
      const e = endOf(xml, '>', lt);
      h.close(localName(xml.slice(lt + 2, e - 1).trim()));
      i = e;
    } else {
      let j = lt + 1, quote = 0;
      for (; j < n; j++) {
        const ch = xml.charCodeAt(j);
        if (quote) { if (ch === quote) quote = 0; }
        else if (ch === 34 || ch === 39) quote = ch;
        else if (ch === 62 /* > */) break;
      }
      if (j >= n) throw new XmlError('an unclosed tag');
      const selfClosing = xml.charCodeAt(j - 1) === 47;
      const inner = xml.slice(lt + 1, selfClosing ? j - 1 : j);
      let k = 0;
      while (k < inner.length && inner.charCodeAt(k) > 32) k++;
      const name = localName(inner.slice(0, k));
      h.open(name, parseAttrs(inner, k), selfClosing);
      if (selfClosing) h.close(name);
      i = j + 1;
    }
  }
}

function endOf(xml: string, marker: string, from: number): number {
  const e = xml.indexOf(marker, from);
  if (e < 0) throw new XmlError(`a missing "${marker}"`);
  return e + marker.length;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

const ATTR = /([^\s=/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function parseAttrs(inner: string, from: number): Record<string, string> {
  const attrs: Record<string, string> = {};
  if (from >= inner.length) return attrs;
  ATTR.lastIndex = from;
  let m: RegExpExecArray | null;
  while ((m = ATTR.exec(inner)) !== null) attrs[m[1]] = decodeEntities(m[2] ?? m[3] ?? '');
  return attrs;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#[xX][0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ent: string) => {
    if (ent[0] !== '#') return NAMED[ent] ?? whole;
    const cp = ent[1] === 'x' || ent[1] === 'X' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
    return cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
  });
}

/** OOXML escapes characters XML cannot hold as `_xHHHH_` (e.g. `_x000D_` for a carriage return). */
function decodeOoxmlEscapes(s: string): string {
  if (s.indexOf('_x') < 0) return s;
  return s.replace(/_x([0-9a-fA-F]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

// ---------------------------------------------------------------------------------------------
// .xlsx

const REL_OFFICE_DOCUMENT = /\/officeDocument$/;

function readXlsx(file: string, bytes: Uint8Array): ExportTables {
  let parts: Record<string, Uint8Array>;
  try {
    // Only the XML parts are inflated; images and the like are skipped.
    parts = unzipSync(bytes, { filter: (f) => /\.(xml|rels)$/i.test(f.name) });
  } catch {
    throw new ExportFileError(`${file}: not an .xlsx (zip) file, or the file is damaged (download it again)`);
  }
  const names = new Map<string, string>();
  for (const key of Object.keys(parts)) names.set(normalizePath(key).toLowerCase(), key);
  const readPart = (path: string): string | null => {
    const key = names.get(normalizePath(path).toLowerCase());
    if (key === undefined) return null;
    const text = decodeUtf8(parts[key], parts[key][0] === 0xef ? 3 : 0);
    if (text === null) throw new ExportFileError(`${file}: the workbook part ${path} is not valid UTF-8 (the file is damaged)`);
    return text;
  };
  const scan = (path: string, xml: string, h: XmlHandler): void => {
    try {
      scanXml(xml, h);
    } catch (e) {
      if (e instanceof XmlError) throw new ExportFileError(`${file}: the workbook part ${path} is damaged (${e.message})`);
      throw e;
    }
  };

  // The main part is named by _rels/.rels; it is xl/workbook.xml in every file seen.
  let workbookPath = 'xl/workbook.xml';
  const rootRels = readPart('_rels/.rels');
  if (rootRels !== null) {
    const target = readRels(rootRels, '', (path, xml, h) => scan(path, xml, h), '_rels/.rels').find((r) => REL_OFFICE_DOCUMENT.test(r.type));
    if (target) workbookPath = target.target;
  }
  const workbookXml = readPart(workbookPath);
  if (workbookXml === null) {
    throw new ExportFileError(`${file}: a zip file but not an .xlsx workbook (it has no ${workbookPath}); if it holds CSV files, unzip it and import those`);
  }
  const dir = workbookPath.slice(0, workbookPath.lastIndexOf('/') + 1);
  const relsPath = `${dir}_rels/${workbookPath.slice(dir.length)}.rels`;

  // Sheets in workbook order, and the 1904 flag.
  const sheetRefs: { name: string; rid: string }[] = [];
  let date1904 = false;
  scan(workbookPath, workbookXml, {
    open(name, attrs) {
      if (name === 'sheet') {
        const ridKey = Object.keys(attrs).find((k) => k === 'id' || k.endsWith(':id'));
        sheetRefs.push({ name: attrs.name ?? '', rid: ridKey ? attrs[ridKey] : '' });
      } else if (name === 'workbookPr') {
        date1904 = attrs.date1904 === '1' || attrs.date1904 === 'true';
      }
    },
    close() {},
    text() {},
  });

  const relsXml = readPart(relsPath);
  const rels = relsXml === null ? [] : readRels(relsXml, dir, (path, xml, h) => scan(path, xml, h), relsPath);
  const relById = new Map(rels.map((r) => [r.id, r]));

  const sharedStringsRel = rels.find((r) => /\/sharedStrings$/.test(r.type));
  const sharedStringsPath = sharedStringsRel ? sharedStringsRel.target : `${dir}sharedStrings.xml`;
  const sharedXml = readPart(sharedStringsPath);
  const shared = sharedXml === null ? [] : readSharedStrings(sharedXml, (xml, h) => scan(sharedStringsPath, xml, h));

  const stylesRel = rels.find((r) => /\/styles$/.test(r.type));
  const stylesPath = stylesRel ? stylesRel.target : `${dir}styles.xml`;
  const stylesXml = readPart(stylesPath);
  const dateStyles = stylesXml === null ? [] : readDateStyles(stylesXml, (xml, h) => scan(stylesPath, xml, h));

  const sheets: ExportSheet[] = [];
  for (const ref of sheetRefs) {
    const rel = relById.get(ref.rid);
    // Chart sheets and macro sheets hold no table.
    if (rel && !/\/worksheet$/.test(rel.type)) continue;
    const path = rel?.target;
    const xml = path === undefined ? null : readPart(path);
    if (path === undefined || xml === null) throw new ExportFileError(`${file}: sheet "${ref.name}" is missing its data`);
    sheets.push(readWorksheet(file, ref.name, xml, shared, dateStyles, (x, h) => scan(path, x, h)));
  }
  if (sheets.length === 0) throw new ExportFileError(`${file}: the workbook has no sheets`);
  return { format: 'xlsx', sheets, date1904 };
}

interface Rel { id: string; type: string; target: string }

function readRels(xml: string, baseDir: string, scan: (path: string, xml: string, h: XmlHandler) => void, path: string): Rel[] {
  const rels: Rel[] = [];
  scan(path, xml, {
    open(name, a) {
      if (name !== 'Relationship' || a.TargetMode === 'External') return;
      const t = a.Target ?? '';
      rels.push({ id: a.Id ?? '', type: a.Type ?? '', target: normalizePath(t.startsWith('/') ? t : baseDir + t) });
    },
    close() {},
    text() {},
  });
  return rels;
}

/** Resolves `.` and `..` segments and backslashes: "xl/worksheets/../x.xml" → "xl/x.xml". */
function normalizePath(p: string): string {
  const out: string[] = [];
  for (const seg of p.replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return out.join('/');
}

type Scan = (xml: string, h: XmlHandler) => void;

/** Each `<si>`: its `<t>` texts concatenated (plain or rich-text runs), leaving out phonetic `<rPh>` runs. */
function readSharedStrings(xml: string, scan: Scan): string[] {
  const out: string[] = [];
  let inSi = false, inT = false, phonetic = 0, cur = '';
  scan(xml, {
    open(name) {
      if (name === 'si') { inSi = true; cur = ''; }
      else if (name === 'rPh') phonetic++;
      else if (name === 't' && inSi && phonetic === 0) inT = true;
    },
    close(name) {
      if (name === 't') inT = false;
      else if (name === 'rPh') phonetic--;
      else if (name === 'si') { out.push(decodeOoxmlEscapes(cur)); inSi = false; }
    },
    text(t) { if (inT) cur += t; },
  });
  return out;
}

/** Built-in number formats that show dates or times (ECMA-376 §18.8.30; 27–36 and 50–58 are East Asian dates). */
function isBuiltInDateFormat(id: number): boolean {
  return (id >= 14 && id <= 22) || (id >= 45 && id <= 47) || (id >= 27 && id <= 36) || (id >= 50 && id <= 58);
}

/** A custom format code shows a date or time when it has d, m, y, h or s outside quotes, escapes and [..] (except [h], [mm], [ss]). */
export function isDateFormatCode(code: string): boolean {
  const stripped = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/[_*]./g, '')
    .replace(/\[([^\]]*)\]/g, (_, inside: string) => (/^(h+|m+|s+)$/i.test(inside) ? 'h' : ''));
  return /[dmyhs]/i.test(stripped);
}

/** For each cellXfs index: whether its number format is a date or time. */
function readDateStyles(xml: string, scan: Scan): boolean[] {
  const custom = new Map<number, string>();
  const xfFormats: number[] = [];
  let inCellXfs = false;
  scan(xml, {
    open(name, a, selfClosing) {
      if (name === 'numFmt') custom.set(Number(a.numFmtId), a.formatCode ?? '');
      else if (name === 'cellXfs') inCellXfs = !selfClosing;
      else if (name === 'xf' && inCellXfs) xfFormats.push(Number(a.numFmtId ?? 0));
    },
    close(name) { if (name === 'cellXfs') inCellXfs = false; },
    text() {},
  });
  return xfFormats.map((id) => (custom.has(id) ? isDateFormatCode(custom.get(id)!) : isBuiltInDateFormat(id)));
}

/** "BC12" → column 54 (0-based), row 11 (0-based); null when not a cell reference. */
function parseRef(ref: string): { col: number; row: number } | null {
  let col = 0, i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i) | 32;
    if (c < 97 || c > 122) break;
    col = col * 26 + (c - 96);
  }
  if (i === 0) return null;
  const row = Number(ref.slice(i));
  return { col: col - 1, row: Number.isInteger(row) && row > 0 ? row - 1 : -1 };
}

function readWorksheet(file: string, sheetName: string, xml: string, shared: string[], dateStyles: boolean[], scan: Scan): ExportSheet {
  const rows: string[][] = [];
  const dates: boolean[][] = [];
  let sawSheetData = false, inSheetData = false;
  let rowIdx = -1, nextCol = 0;
  // The current cell.
  let col = 0, type = '', style = 0, value: string | null = null;
  let inV = false, inIs = false, inT = false, phonetic = 0, inline = '';

  scan(xml, {
    open(name, a) {
      if (name === 'sheetData') { sawSheetData = true; inSheetData = true; return; }
      if (!inSheetData) return;
      switch (name) {
        case 'row': {
          const r = Number(a.r);
          rowIdx = Number.isInteger(r) && r > 0 ? r - 1 : rowIdx + 1;
          nextCol = 0;
          break;
        }
        case 'c': {
          const ref = a.r === undefined ? null : parseRef(a.r);
          col = ref ? ref.col : nextCol;
          if (ref && ref.row >= 0) rowIdx = ref.row;
          if (rowIdx < 0) rowIdx = 0;
          type = a.t ?? 'n';
          style = a.s === undefined ? 0 : Number(a.s);
          value = null;
          inline = '';
          break;
        }
        case 'v': inV = true; value = ''; break;
        case 'is': inIs = true; break;
        case 'rPh': phonetic++; break;
        case 't': if (inIs && phonetic === 0) inT = true; break;
      }
    },
    close(name) {
      if (name === 'sheetData') { inSheetData = false; return; }
      if (!inSheetData) return;
      switch (name) {
        case 'v': inV = false; break;
        case 't': inT = false; break;
        case 'rPh': phonetic--; break;
        case 'is': inIs = false; break;
        case 'c': {
          let text = '', isDate = false;
          if (type === 'inlineStr') text = decodeOoxmlEscapes(inline);
          else if (value !== null) {
            if (type === 's') {
              const idx = Number(value);
              if (!(idx >= 0 && idx < shared.length) || !Number.isInteger(idx)) {
                throw new ExportFileError(
                  `${file}: sheet "${sheetName}" cell ${columnLetters(col)}${rowIdx + 1} refers to shared text ${value.trim()}, but the workbook has ${shared.length}`,
                );
              }
              text = shared[idx];
            } else if (type === 'b') text = value.trim() === '1' ? 'TRUE' : 'FALSE';
            else if (type === 'str' || type === 'e' || type === 'd') text = decodeOoxmlEscapes(value);
            else {
              text = value.trim();
              isDate = text !== '' && dateStyles[style] === true;
            }
          }
          if (text !== '') {
            (rows[rowIdx] ??= [])[col] = text;
            if (isDate) (dates[rowIdx] ??= [])[col] = true;
          }
          nextCol = col + 1;
          break;
        }
      }
    },
    text(t) {
      if (inV) value += t;
      else if (inT) inline += t;
    },
  });
  if (!sawSheetData) throw new ExportFileError(`${file}: sheet "${sheetName}" is missing its data`);
  return rectangular(sheetName, rows, dates);
}

function columnLetters(col: number): string {
  let s = '';
  for (let n = col + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
