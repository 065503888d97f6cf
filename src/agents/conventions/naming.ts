import { ts } from 'ts-morph';
import type { ConventionContext, ConventionHit } from './';

/** Read once: `ts` from ts-morph is a namespace of getters, too slow to go through on every node. */
const { SyntaxKind, NodeFlags } = ts;

/** The style a name is told to follow when it follows none of those allowed for its kind. */
type Style = 'camelCase' | 'PascalCase';

/*
 * The patterns apply to a name's core, once leading and trailing `_` and `$` are set aside (`_unused`, `$el`,
 * `__dirname`, `user$`). Acronyms are welcome (`parseHTML`, `XMLParser`, `getURLs`): only the first letter's case
 * and underscores between letters decide.
 */
const CAMEL = /^\p{Ll}[\p{L}\p{N}$]*$/u;
const PASCAL = /^\p{Lu}[\p{L}\p{N}$]*$/u;
/** SCREAMING_SNAKE_CASE, digits included (`MAX_RETRIES`, `HTTP2_PORT`). */
const UPPER = /^\p{Lu}[\p{Lu}\p{N}]*(?:_+[\p{Lu}\p{N}]+)*$/u;
/** Led by an acronym (`URLs`, `IIFEs`, `HTMLContent`): the constant-looking family of UPPER_CASE. */
const ACRONYM_LED = /^\p{Lu}{2}[\p{L}\p{N}$]*$/u;
/** A name whose first letter has a case; `日付` or `_1` follow no convention this rule knows. */
const CASED_START = /^[\p{Lu}\p{Ll}]/u;

const PLAIN_VALUE_KINDS: ReadonlySet<ts.SyntaxKind> = new Set([
  SyntaxKind.NumericLiteral, SyntaxKind.BigIntLiteral, SyntaxKind.StringLiteral, SyntaxKind.NoSubstitutionTemplateLiteral,
  SyntaxKind.TemplateExpression, SyntaxKind.TrueKeyword, SyntaxKind.FalseKeyword, SyntaxKind.NullKeyword,
  SyntaxKind.ArrayLiteralExpression, SyntaxKind.ObjectLiteralExpression, SyntaxKind.RegularExpressionLiteral,
]);

/** What the rule checks of one declaration. */
interface Subject {
  /** The kind as the message says it ("Class", "Type alias"). */
  readonly kind: string;
  readonly name: ts.Identifier;
  readonly expected: Style;
  readonly allowed: readonly RegExp[];
}

const TYPES: readonly RegExp[] = [PASCAL];
/** A generic type alias is a type-level function, which some code names like one (`input<T>`, `flatten<T>`). */
const TYPE_FUNCTIONS: readonly RegExp[] = [PASCAL, CAMEL];
/** Functions may be PascalCase: React components, factories named after what they build. */
const FUNCTIONS: readonly RegExp[] = [CAMEL, PASCAL];
const VARIABLES: readonly RegExp[] = [CAMEL, UPPER, ACRONYM_LED];
/** Constants may be PascalCase too: components, zod schemas (`const User = z.object(…)`), classes held in a variable. */
const CONSTANTS: readonly RegExp[] = [CAMEL, UPPER, PASCAL];

/**
 * `conventions/naming` for one node: types, classes and enums are PascalCase, functions and variables camelCase
 * (variables may be UPPER_CASE, constants and functions PascalCase). Parameters, destructured bindings, properties
 * and imports are not checked: their names come from data or from someone else's code (the walk skips `declare`).
 */
export function namingHit(node: ts.Node, context: ConventionContext): ConventionHit | undefined {
  const subject = subjectOf(node);
  if (!subject) return undefined;
  const text = subject.name.text;
  const core = trimEdges(text);
  if (core.length <= 1 || !CASED_START.test(core) || subject.allowed.some((style) => style.test(core))) return undefined;
  if (namesAValue(node, text, context)) return undefined;
  const { sourceFile } = context;
  return {
    rule: 'conventions/naming',
    severity: 'info',
    message: `${subject.kind} '${text}' should be ${subject.expected}`,
    start: subject.name.getStart(sourceFile),
    end: subject.name.end,
  };
}

function subjectOf(node: ts.Node): Subject | undefined {
  switch (node.kind) {
    case SyntaxKind.ClassDeclaration: case SyntaxKind.ClassExpression:
      return typeSubject('Class', (node as ts.ClassLikeDeclaration).name);
    case SyntaxKind.InterfaceDeclaration:
      return typeSubject('Interface', (node as ts.InterfaceDeclaration).name);
    case SyntaxKind.TypeAliasDeclaration: {
      const { name, typeParameters } = node as ts.TypeAliasDeclaration;
      return { kind: 'Type alias', name, expected: 'PascalCase', allowed: typeParameters ? TYPE_FUNCTIONS : TYPES };
    }
    case SyntaxKind.EnumDeclaration:
      return typeSubject('Enum', (node as ts.EnumDeclaration).name);
    case SyntaxKind.FunctionDeclaration: case SyntaxKind.FunctionExpression: {
      const name = (node as ts.FunctionDeclaration | ts.FunctionExpression).name;
      return name ? { kind: 'Function', name, expected: 'camelCase', allowed: FUNCTIONS } : undefined;
    }
    case SyntaxKind.VariableDeclaration:
      return variableSubject(node as ts.VariableDeclaration);
    default:
      return undefined;
  }
}

/**
 * A top-level type named after a value of the file (`export const $output = Symbol(); export type $output = typeof
 * $output`, an interface merged with its function) takes the value's name: the value's style decides.
 */
function namesAValue(node: ts.Node, name: string, context: ConventionContext): boolean {
  return (node.kind === SyntaxKind.InterfaceDeclaration || node.kind === SyntaxKind.TypeAliasDeclaration)
    && node.parent.kind === SyntaxKind.SourceFile && context.topLevelValues().has(name);
}

function typeSubject(kind: string, name: ts.Identifier | undefined): Subject | undefined {
  return name ? { kind, name, expected: 'PascalCase', allowed: TYPES } : undefined;
}

function variableSubject(declaration: ts.VariableDeclaration): Subject | undefined {
  const { name, initializer, parent } = declaration;
  // A catch binding is a parameter; a destructured name comes from the data; `require(…)` is an import.
  if (name.kind !== SyntaxKind.Identifier || parent.kind !== SyntaxKind.VariableDeclarationList) return undefined;
  if (initializer && isImportLike(initializer)) return undefined;
  // PascalCase may name a class or a component, whatever the keyword (`var` is all legacy scripts have, and
  // `let Impl; Impl = …` is assigned later): only a `let` given a plain value is known to hold neither.
  const isLet = (parent.flags & NodeFlags.BlockScoped) === NodeFlags.Let;
  const allowed = isLet && initializer && isPlainValue(initializer) ? VARIABLES : CONSTANTS;
  return { kind: 'Variable', name, expected: 'camelCase', allowed };
}

/** `require('x')`, `require('x').y`, `await import('x')`: the name mirrors a module, as an import's would. */
function isImportLike(expression: ts.Expression): boolean {
  let e = expression;
  for (;;) {
    switch (e.kind) {
      case SyntaxKind.ParenthesizedExpression: case SyntaxKind.AwaitExpression:
      case SyntaxKind.PropertyAccessExpression: case SyntaxKind.ElementAccessExpression:
        e = (e as ts.ParenthesizedExpression | ts.AwaitExpression | ts.PropertyAccessExpression).expression;
        continue;
      case SyntaxKind.CallExpression: {
        const callee = (e as ts.CallExpression).expression;
        return callee.kind === SyntaxKind.ImportKeyword
          || (callee.kind === SyntaxKind.Identifier && (callee as ts.Identifier).text === 'require');
      }
      default:
        return false;
    }
  }
}

/** A literal (`5`, `'a'`, `true`, `[…]`, `{…}`, a template), possibly negated: never a class or a component. */
function isPlainValue(expression: ts.Expression): boolean {
  let e = expression;
  for (;;) {
    if (e.kind === SyntaxKind.ParenthesizedExpression) e = (e as ts.ParenthesizedExpression).expression;
    else if (e.kind === SyntaxKind.PrefixUnaryExpression) e = (e as ts.PrefixUnaryExpression).operand;
    else return PLAIN_VALUE_KINDS.has(e.kind);
  }
}

/**
 * The name without its leading and trailing `_` and `$`. Not `replace(/^[_$]+|[_$]+$/g)`: that regex retries
 * `[_$]+$` from every character of a long inner run of underscores (`a_____b`), quadratic in the name's length.
 */
function trimEdges(name: string): string {
  const edge = (i: number) => name.charCodeAt(i) === 95 || name.charCodeAt(i) === 36;
  let start = 0;
  let end = name.length;
  while (start < end && edge(start)) start++;
  while (end > start && edge(end - 1)) end--;
  return name.slice(start, end);
}
