/**
 * LibreOffice Calc, headless, as the judge of the .xlsx the local runtime writes: a program
 * nobody here wrote opens the workbook and draws it. Calc exports each sheet as one PDF page
 * (SinglePageSheets) and poppler's pdftoppm turns the pages into PNG.
 *
 * The programs are found as every program the tests drive is (dev/tools/programs.ts: SOFFICE,
 * PDFTOPPM, PDFTOTEXT, Debian's paths, PATH); when one is missing the test fails with one line
 * saying which and how to install it (Debian: libreoffice-calc, poppler-utils).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { LIBREOFFICE, PDFTOPPM, PDFTOTEXT, requireProgram } from '../../dev/tools/programs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';

/** The soffice binary, or an Error with the one line the test command prints. */
export function findSoffice(): string {
  return requireProgram(LIBREOFFICE);
}

/** A poppler tool (pdftoppm, pdftotext), or an Error with one clear line. */
export function findPoppler(tool: 'pdftoppm' | 'pdftotext'): string {
  return requireProgram(tool === 'pdftoppm' ? PDFTOPPM : PDFTOTEXT);
}

export interface RenderedSheet {
  sheet: string;
  png: string;
  /** The page's text as Calc laid it out (pdftotext -layout): what a reader sees, "###" included. */
  text: string;
}

/**
 * Renders the named sheets of an .xlsx to `outDir/<file stem>-<sheet>.png` (lower case, dashes),
 * in the order given: a copy of the file holding only those sheets is exported by Calc to PDF,
 * one page per sheet, then rasterized at `dpi`.
 */
export function renderSheets(xlsx: Uint8Array, sheets: readonly string[], outDir: string, stem: string, dpi = 72): RenderedSheet[] {
  const soffice = findSoffice();
  const pdftoppm = findPoppler('pdftoppm');
  const pdftotext = findPoppler('pdftotext');
  const files = unzipSync(xlsx);
  let workbook = strFromU8(files['xl/workbook.xml']);
  const names = [...workbook.matchAll(/<sheet [^>]*name="([^"]+)"/g)].map((m) => m[1]);
  for (const s of sheets) if (!names.includes(s)) throw new Error(`renderSheets: no sheet "${s}" in the workbook (${names.join(', ')})`);
  // Calc prints hidden sheets too: the copy keeps only the sheets to render (their parts stay in
  // the file, unreferenced) and no defined names (they may point at the sheets left out).
  workbook = workbook
    .replace(/<sheet [^>]*?name="([^"]+)"[^>]*?\/>/g, (whole, name: string) => (sheets.includes(name) ? whole.replace(/\s*state="[^"]*"/, '') : ''))
    .replace(/<definedNames>[\s\S]*?<\/definedNames>/, '')
    .replace(/<bookViews>[\s\S]*?<\/bookViews>/, '')
    .replace('<sheets>', '<bookViews><workbookView activeTab="0"/></bookViews><sheets>');
  files['xl/workbook.xml'] = strToU8(workbook);
  const work = mkdtempSync(join(tmpdir(), 'render-'));
  try {
    const book = join(work, `${stem}.xlsx`);
    writeFileSync(book, zipSync(files));
    const profile = `file://${join(work, 'profile')}`;
    execFileSync(soffice, [
      `-env:UserInstallation=${profile}`, '--headless', '--norestore',
      '--convert-to', 'pdf:calc_pdf_Export:{"SinglePageSheets":{"type":"boolean","value":"true"}}', '--outdir', work, book,
    ], { stdio: 'pipe', timeout: 180_000 });
    const pdf = join(work, `${stem}.pdf`);
    if (!existsSync(pdf)) throw new Error(`LibreOffice wrote no PDF for ${book}`);
    mkdirSync(outDir, { recursive: true });
    // Pages follow the visible sheets in workbook order.
    const visible = names.filter((n) => sheets.includes(n));
    return sheets.map((s) => {
      const page = visible.indexOf(s) + 1;
      const base = join(outDir, `${stem}-${s.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`);
      execFileSync(pdftoppm, ['-f', String(page), '-l', String(page), '-r', String(dpi), '-png', '-singlefile', pdf, base], { stdio: 'pipe', timeout: 120_000 });
      const text = execFileSync(pdftotext, ['-f', String(page), '-l', String(page), '-layout', pdf, '-'], { stdio: 'pipe', timeout: 120_000, maxBuffer: 64 << 20 }).toString('utf8');
      return { sheet: s, png: `${base}.png`, text };
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The bytes of a PNG as RGB pixels (8-bit, colour types 2 and 6, no interlace: what pdftoppm writes). */
export function decodePng(path: string): { width: number; height: number; rgb: (x: number, y: number) => [number, number, number] } {
  const buf = readFileSync(path);
  let pos = 8;
  let width = 0, height = 0, type = 0;
  const idat: Buffer[] = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const kind = buf.toString('ascii', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (kind === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0) throw new Error(`decodePng: only 8-bit non-interlaced PNG (${path})`);
      type = data[9];
    } else if (kind === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const channels = type === 6 ? 4 : type === 2 ? 3 : 0;
  if (channels === 0) throw new Error(`decodePng: colour type ${type} not handled (${path})`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const px = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i];
      const a = i >= channels ? px[y * stride + i - channels] : 0;
      const b = y > 0 ? px[(y - 1) * stride + i] : 0;
      const c = y > 0 && i >= channels ? px[(y - 1) * stride + i - channels] : 0;
      let v: number;
      if (f === 0) v = x;
      else if (f === 1) v = x + a;
      else if (f === 2) v = x + b;
      else if (f === 3) v = x + ((a + b) >> 1);
      else {
        const p = a + b - c;
        const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      }
      px[y * stride + i] = v & 255;
    }
  }
  return { width, height, rgb: (x, y) => [px[y * stride + x * channels], px[y * stride + x * channels + 1], px[y * stride + x * channels + 2]] };
}
