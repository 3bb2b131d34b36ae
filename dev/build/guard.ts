/**
 * The build guard: reads the bundle the way Apps Script will and refuses it when a global the
 * add-on relies on would not exist there.
 *
 * Every check here is a way a bundle can look fine in Node yet break in Sheets (each one was
 * hit while trying bundler settings, see shared/reference/apps-script.md §2):
 * - a required name is not a top-level `function` declaration (`var onOpen = ...`, a name left
 *   inside the IIFE, a wrapper that hides everything): menus, triggers and google.script.run
 *   only find top-level function declarations;
 * - a custom function's stub has no `@customfunction` JSDoc: the formula works but Sheets does
 *   not offer it in autocomplete or show its help card;
 * - an `import` or `export` survived: Apps Script loads files as classic scripts, and the
 *   whole project fails to load;
 * - a custom function name ends in `_`: Apps Script treats it as private.
 */
import { parse, type Comment, type Node, type Program } from 'acorn';

/** A global the bundle must define, as found in src/index.ts (see entry-points.ts). */
export interface RequiredGlobal {
  name: string;
  customFunction: boolean;
}

/** Simple triggers of an Editor add-on: needed whether or not src/index.ts remembers them. */
export const ALWAYS_REQUIRED = ['onOpen', 'onInstall'] as const;

export interface GuardOptions {
  /**
   * Newest syntax allowed, matching esbuild's `target`. Parsing at that level also catches a
   * dependency shipping syntax esbuild was not asked to lower.
   */
  ecmaVersion?: 2019 | 2020 | 2021 | 2022;
}

/**
 * Returns one plain-language problem per violation; an empty list means the bundle is fit for
 * Apps Script. Never throws on bad input: an unparsable bundle is itself a problem.
 */
export function checkBundle(code: string, required: readonly RequiredGlobal[], options: GuardOptions = {}): string[] {
  const problems: string[] = [];
  const comments: Comment[] = [];
  let program: Program;
  try {
    program = parse(code, {
      ecmaVersion: options.ecmaVersion ?? 2020,
      sourceType: 'script', // how Apps Script loads a .gs/.js file
      // Parse import/export anyway, so they are reported by name below rather than as a
      // bare syntax error.
      allowImportExportEverywhere: true,
      locations: true,
      onComment: comments,
    });
  } catch (err) {
    return [`the bundle is not a valid ES${options.ecmaVersion ?? 2020} script: ${(err as Error).message}`];
  }

  for (const node of findModuleSyntax(program)) {
    problems.push(`line ${node.loc?.start.line}: ${describeModuleSyntax(node)} is not allowed: Apps Script loads each file as a classic script, so the project would fail to load`);
  }

  const topLevel = topLevelBindings(program);
  const wanted = new Map<string, RequiredGlobal>();
  for (const name of ALWAYS_REQUIRED) wanted.set(name, { name, customFunction: false });
  for (const global of required) wanted.set(global.name, global);

  for (const global of wanted.values()) {
    const { name } = global;
    const bindings = topLevel.get(name) ?? [];
    const declarations = bindings.filter((b) => b.type === 'FunctionDeclaration');
    if (declarations.length === 0) {
      const found = bindings.length > 0 ? `it is a ${describeBinding(bindings[0])} at line ${bindings[0].loc?.start.line}` : 'it is not declared at top level';
      problems.push(`"${name}" must be a top-level function declaration ("function ${name}(...) {...}") for Apps Script to find it; ${found}`);
    } else if (bindings.length > 1) {
      problems.push(`"${name}" is declared ${bindings.length} times at top level; Apps Script would use whichever comes last`);
    }
    if (!global.customFunction) continue;
    if (name.endsWith('_')) {
      problems.push(`custom function "${name}" ends with "_": Apps Script treats it as private and Sheets cannot call it`);
    }
    const declaration = declarations[declarations.length - 1];
    if (declaration && !leadingJsDoc(code, comments, declaration.start)?.includes('@customfunction')) {
      problems.push(`custom function "${name}" has no JSDoc with @customfunction right before its declaration; Sheets would not list it in autocomplete`);
    }
  }
  return problems;
}

/** Formats problems for the console, or returns null when there are none. */
export function describeProblems(file: string, problems: readonly string[]): string | null {
  if (problems.length === 0) return null;
  return `${file} would not work in Apps Script:\n${problems.map((p) => `  - ${p}`).join('\n')}`;
}

type Binding = Node & { loc?: { start: { line: number } } | null };

/** Names bound by top-level statements, each with every statement binding it. */
function topLevelBindings(program: Program): Map<string, Binding[]> {
  const byName = new Map<string, Binding[]>();
  const add = (name: string, node: Binding) => byName.set(name, [...(byName.get(name) ?? []), node]);
  for (const statement of program.body) {
    if (statement.type === 'FunctionDeclaration' || statement.type === 'ClassDeclaration') {
      if (statement.id) add(statement.id.name, statement);
    } else if (statement.type === 'VariableDeclaration') {
      for (const declarator of statement.declarations) {
        if (declarator.id.type === 'Identifier') add(declarator.id.name, statement);
      }
    } else if (
      statement.type === 'ExpressionStatement' &&
      statement.expression.type === 'AssignmentExpression' &&
      statement.expression.left.type === 'Identifier'
    ) {
      // `onOpen = function () {}` creates a global in sloppy mode, but not a declaration.
      add(statement.expression.left.name, statement);
    }
  }
  return byName;
}

function describeBinding(node: Node): string {
  if (node.type === 'VariableDeclaration') return `"${(node as Node & { kind: string }).kind}" variable`;
  if (node.type === 'ClassDeclaration') return 'class';
  if (node.type === 'ExpressionStatement') return 'global assigned by an expression';
  return node.type;
}

/** Every import/export anywhere in the tree, including `import()` and `import.meta`. */
function findModuleSyntax(program: Program): Binding[] {
  const found: Binding[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    if (value === null || typeof value !== 'object' || typeof (value as Node).type !== 'string') return;
    const node = value as Binding;
    if (isModuleSyntax(node)) found.push(node);
    for (const [key, child] of Object.entries(node)) {
      if (key !== 'loc') visit(child);
    }
  };
  visit(program.body);
  return found;
}

function isModuleSyntax(node: Node): boolean {
  if (node.type === 'MetaProperty') return (node as Node & { meta: { name: string } }).meta.name === 'import';
  return /^(Import|Export\w*)Declaration$/.test(node.type) || node.type === 'ImportExpression';
}

function describeModuleSyntax(node: Node): string {
  switch (node.type) {
    case 'ImportDeclaration':
      return 'an import statement';
    case 'ImportExpression':
      return 'a dynamic import()';
    case 'MetaProperty':
      return 'import.meta';
    default:
      return 'an export statement';
  }
}

/** The block comment that ends right before `position`, with only whitespace in between. */
function leadingJsDoc(code: string, comments: readonly Comment[], position: number): string | null {
  for (let i = comments.length - 1; i >= 0; i--) {
    const comment = comments[i];
    if (comment.end > position) continue;
    if (comment.type !== 'Block' || !/^\s*$/.test(code.slice(comment.end, position))) return null;
    // acorn gives the text between /* and */; a JSDoc block starts with a second *.
    return comment.value.startsWith('*') ? comment.value : null;
  }
  return null;
}
