/**
 * Finds the add-on's global functions in src/index.ts and writes the top-level stubs that make
 * them visible to Apps Script.
 *
 * Why stubs: esbuild bundles src/index.ts into `var __addon = (() => {...})()`, so its exports are
 * properties of __addon, not globals. Apps Script needs real top-level `function NAME()`
 * declarations: it lists them for google.script.run and menus, and it reads the JSDoc right
 * before them for custom functions (`@customfunction`, the `@param` help card).
 */
import ts from 'typescript';

export interface EntryPoint {
  name: string;
  /** Parameter names as declared; also the names Sheets shows in the help card. */
  params: string[];
  /** The JSDoc comment as written (`/** ... *\/`), or null when there is none. */
  jsDoc: string | null;
  /** The JSDoc has a `@customfunction` tag: callable from a cell as =NAME(...). */
  customFunction: boolean;
  /** 1-based line in the entry file, for messages. */
  line: number;
}

/** src/index.ts breaks a rule that would make the bundle wrong in Apps Script. */
export class EntryPointError extends Error {
  constructor(readonly problems: string[]) {
    super(`Entry file problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EntryPointError';
  }
}

/**
 * Lists the exported function declarations of the entry file. Throws EntryPointError listing
 * every problem at once: exports that are not plain function declarations (Apps Script would
 * never see them), names ending in `_` (Apps Script hides them), parameters the stub cannot
 * forward by name, async or generator functions (Sheets and google.script.run cannot use a
 * Promise or an iterator).
 */
export function findEntryPoints(source: string, fileName = 'src/index.ts'): EntryPoint[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const entries: EntryPoint[] = [];
  const problems: string[] = [];
  const lineOf = (node: ts.Node) => file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
  const at = (node: ts.Node) => `${fileName}:${lineOf(node)}`;

  for (const statement of file.statements) {
    if (ts.isFunctionDeclaration(statement) && hasModifier(statement, ts.SyntaxKind.ExportKeyword)) {
      if (hasModifier(statement, ts.SyntaxKind.DefaultKeyword) || !statement.name) {
        problems.push(`${at(statement)}: a default export has no global name; use "export function NAME(...)"`);
        continue;
      }
      if (!statement.body) continue; // an overload signature; the implementation follows
      const name = statement.name.text;
      const before = problems.length;
      if (name.endsWith('_')) {
        problems.push(`${at(statement)}: "${name}" ends with "_", which Apps Script treats as private: menus, google.script.run and cells cannot call it`);
      }
      if (hasModifier(statement, ts.SyntaxKind.AsyncKeyword) || statement.asteriskToken) {
        problems.push(`${at(statement)}: "${name}" is async or a generator; Apps Script entry points must return plain values`);
      }
      const params: string[] = [];
      for (const param of statement.parameters) {
        if (!ts.isIdentifier(param.name)) {
          problems.push(`${at(param)}: "${name}" has a destructured parameter; the generated stub forwards parameters by name`);
        } else if (param.dotDotDotToken) {
          problems.push(`${at(param)}: "${name}" has a rest parameter; Sheets' help card needs each argument named`);
        } else {
          params.push(param.name.text);
        }
      }
      if (problems.length > before) continue;
      const jsDoc = lastJsDoc(statement);
      entries.push({
        name,
        params,
        jsDoc: jsDoc ? source.slice(jsDoc.pos, jsDoc.end) : null,
        customFunction: ts.getJSDocTags(statement).some((tag) => tag.tagName.text === 'customfunction'),
        line: lineOf(statement),
      });
    } else if (isValueExport(statement)) {
      problems.push(
        `${at(statement)}: only "export function NAME(...)" is allowed here; Apps Script sees top-level function declarations only (found: ${firstLine(statement, file)})`,
      );
    }
  }
  if (problems.length > 0) throw new EntryPointError(problems);
  return entries;
}

/**
 * The footer appended to the bundle: one top-level function per entry point, with its JSDoc,
 * forwarding to the bundled implementation on `namespace`.
 */
export function renderStubs(entries: readonly EntryPoint[], namespace: string): string {
  return entries
    .map((entry) => {
      const params = entry.params.join(', ');
      const doc = entry.jsDoc === null ? '' : `${reindentJsDoc(entry.jsDoc)}\n`;
      return `${doc}function ${entry.name}(${params}) { return ${namespace}.${entry.name}(${params}); }`;
    })
    .join('\n');
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

/** The JSDoc block nearest the declaration (TypeScript returns all of them, in source order). */
function lastJsDoc(node: ts.FunctionDeclaration): ts.JSDoc | undefined {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  return docs[docs.length - 1];
}

/** Statements that export a runtime value other than a function declaration. Type-only exports are fine. */
function isValueExport(statement: ts.Statement): boolean {
  if (ts.isExportDeclaration(statement)) return !statement.isTypeOnly;
  if (ts.isExportAssignment(statement)) return true;
  if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) return false;
  if (ts.isModuleDeclaration(statement) && hasModifier(statement, ts.SyntaxKind.DeclareKeyword)) return false;
  return hasModifier(statement, ts.SyntaxKind.ExportKeyword);
}

function firstLine(node: ts.Node, file: ts.SourceFile): string {
  const text = node.getText(file).split('\n')[0];
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Normalizes the comment's continuation lines to " * ..." so the stub reads cleanly at column 0. */
function reindentJsDoc(jsDoc: string): string {
  return jsDoc
    .split('\n')
    .map((line, i) => (i === 0 ? line.trim() : ` ${line.trim()}`))
    .join('\n');
}
