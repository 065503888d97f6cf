import { ts } from 'ts-morph';
import { kindTable } from '../shared/astWalk';

/**
 * Local shadowing for the imports agent: does a reference to an imported name resolve to a nearer local
 * declaration instead of the import?
 *
 * A wrong "yes" would make us delete an import that is in use, a wrong "no" only keeps an unused one; so every
 * rule here claims shadowing only where TypeScript's name resolution certainly finds the local first, and falls
 * back to "not shadowed" everywhere else (hoisted `var`s in nested blocks, enum members, imports nested in
 * namespaces, decorators, ...).
 */

/** What a reference looks up, as TypeScript's meanings: a value, a type, a namespace, or anything (exports). */
export type Meaning = 'value' | 'type' | 'namespace' | 'export';

const VALUE = 1;
const TYPE = 2;
const NAMESPACE = 4;

/** Meaning bits a reference needs a local declaration to provide for that declaration to shadow the import. */
const MEANING_BITS: Readonly<Record<Meaning, number>> = {
  value: VALUE,
  type: TYPE,
  namespace: NAMESPACE,
  // An export specifier picks up every meaning of the name, so no single local can be said to hide the import.
  export: 0,
};

/** Names a scope declares, each with the meaning bits its declarations provide. */
type Declared = Map<string, number>;

const EMPTY: Declared = new Map();

/** Answers "is this reference shadowed?" for one source file, caching each scope's declarations. */
export class ScopeIndex {
  private readonly cache = new Map<ts.Node, Declared>();

  /**
   * Whether `id`, a reference looking up `meaning`, resolves to a local declaration between it and the module
   * scope. Module-level declarations are not considered here: a module-level name equal to an import is a merge
   * or a conflict, which the caller treats as "unsure".
   */
  isShadowed(id: ts.Identifier, meaning: Meaning): boolean {
    const bits = MEANING_BITS[meaning];
    if (bits === 0) return false;
    let child: ts.Node = id;
    for (let node = id.parent; node && node.kind !== ts.SyntaxKind.SourceFile; node = node.parent) {
      // Decorators (and their arguments) are evaluated outside the member or parameter they decorate.
      if (node.kind === ts.SyntaxKind.Decorator) return false;
      if (SCOPE_KINDS[node.kind] === 1 && scopeCovers(node, child) && ((this.declared(node).get(id.text) ?? 0) & bits) !== 0) return true;
      child = node;
    }
    return false;
  }

  private declared(scope: ts.Node): Declared {
    let declared = this.cache.get(scope);
    if (!declared) {
      declared = scopeDeclarations(scope);
      this.cache.set(scope, declared);
    }
    return declared;
  }
}

/**
 * The kinds `scopeDeclarations` may find declarations in (function-likes, class-likes, blocks, clauses, loops,
 * `catch`, interfaces, aliases, mapped and conditional types): the other ancestors of a reference are skipped.
 */
const SCOPE_KINDS = kindTable([
  ts.SyntaxKind.FunctionDeclaration, ts.SyntaxKind.FunctionExpression, ts.SyntaxKind.ArrowFunction,
  ts.SyntaxKind.MethodDeclaration, ts.SyntaxKind.MethodSignature, ts.SyntaxKind.Constructor, ts.SyntaxKind.GetAccessor,
  ts.SyntaxKind.SetAccessor, ts.SyntaxKind.CallSignature, ts.SyntaxKind.ConstructSignature, ts.SyntaxKind.IndexSignature,
  ts.SyntaxKind.FunctionType, ts.SyntaxKind.ConstructorType, ts.SyntaxKind.JSDocFunctionType, ts.SyntaxKind.JSDocSignature,
  ts.SyntaxKind.ClassDeclaration, ts.SyntaxKind.ClassExpression, ts.SyntaxKind.Block, ts.SyntaxKind.ModuleBlock,
  ts.SyntaxKind.CaseBlock, ts.SyntaxKind.InterfaceDeclaration, ts.SyntaxKind.TypeAliasDeclaration,
  ts.SyntaxKind.ForStatement, ts.SyntaxKind.ForInStatement, ts.SyntaxKind.ForOfStatement, ts.SyntaxKind.CatchClause,
  ts.SyntaxKind.MappedType, ts.SyntaxKind.ConditionalType,
]);

/** Whether the declarations of `scope` are visible from its child `child` (the one on the reference's path). */
function scopeCovers(scope: ts.Node, child: ts.Node): boolean {
  if (ts.isConditionalTypeNode(scope)) return child === scope.extendsType || child === scope.trueType;
  if (ts.isMappedTypeNode(scope)) return child === scope.type || child === scope.nameType;
  // The name of a function, class, interface or alias (a computed member name included) lives outside it.
  const name = (scope as { name?: ts.Node }).name;
  return name === undefined || child !== name;
}

/**
 * Parents whose `name` may be one of a scope's declarations below (`scopeDeclarations` reads no other): variables
 * and binding elements, parameters, functions, classes, enums, interfaces, aliases, namespaces, type parameters
 * (`infer` ones included). Keep the two in step.
 */
const DECLARATION_NAME_PARENTS = kindTable([
  ts.SyntaxKind.VariableDeclaration, ts.SyntaxKind.Parameter, ts.SyntaxKind.BindingElement,
  ts.SyntaxKind.FunctionDeclaration, ts.SyntaxKind.FunctionExpression, ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.ClassExpression, ts.SyntaxKind.EnumDeclaration, ts.SyntaxKind.InterfaceDeclaration,
  ts.SyntaxKind.TypeAliasDeclaration, ts.SyntaxKind.ModuleDeclaration, ts.SyntaxKind.TypeParameter,
]);

/**
 * Whether `id` may name a declaration some scope holds. A name for which no identifier of the file answers yes is
 * declared by no scope, so `isShadowed` is false for every reference to it.
 */
export function namesScopeDeclaration(id: ts.Identifier): boolean {
  return DECLARATION_NAME_PARENTS[id.parent.kind] === 1 && (id.parent as { name?: ts.Node }).name === id;
}

/** The names `scope` itself declares; empty for nodes that are not scopes. */
function scopeDeclarations(scope: ts.Node): Declared {
  if (ts.isFunctionLike(scope)) return functionDeclarations(scope);
  if (ts.isClassLike(scope)) return classDeclarations(scope);
  if (ts.isBlock(scope) || ts.isModuleBlock(scope)) return statementDeclarations(scope.statements);
  if (ts.isCaseBlock(scope)) return statementDeclarations(scope.clauses.flatMap((clause) => clause.statements));
  if (ts.isInterfaceDeclaration(scope) || ts.isTypeAliasDeclaration(scope)) {
    return typeParameterDeclarations(scope.typeParameters, new Map());
  }
  if (ts.isForStatement(scope) || ts.isForInStatement(scope) || ts.isForOfStatement(scope)) {
    const declared: Declared = new Map();
    const init = scope.initializer;
    if (init && ts.isVariableDeclarationList(init)) {
      for (const decl of init.declarations) addBindingNames(decl.name, VALUE, declared);
    }
    return declared;
  }
  if (ts.isCatchClause(scope) && scope.variableDeclaration) {
    return addBindingNames(scope.variableDeclaration.name, VALUE, new Map());
  }
  if (ts.isMappedTypeNode(scope)) return add(scope.typeParameter.name, TYPE, new Map());
  if (ts.isConditionalTypeNode(scope)) return inferDeclarations(scope.extendsType, new Map());
  return EMPTY;
}

function functionDeclarations(fn: ts.SignatureDeclaration): Declared {
  const declared: Declared = new Map();
  for (const parameter of fn.parameters) addBindingNames(parameter.name, VALUE, declared);
  typeParameterDeclarations(fn.typeParameters, declared);
  // A function expression's own name is visible only inside it.
  if (ts.isFunctionExpression(fn) && fn.name) add(fn.name, VALUE, declared);
  return declared;
}

function classDeclarations(cls: ts.ClassLikeDeclaration): Declared {
  const declared = typeParameterDeclarations(cls.typeParameters, new Map());
  // A class expression's name is bound inside the class only; a class declaration's belongs to its block.
  if (ts.isClassExpression(cls) && cls.name) add(cls.name, VALUE | TYPE, declared);
  return declared;
}

/** Declarations made directly by a list of statements (a block, a namespace body, a switch's clauses). */
function statementDeclarations(statements: readonly ts.Statement[]): Declared {
  const declared: Declared = new Map();
  for (const statement of statements) {
    if (ts.isVariableStatement(statement)) {
      for (const decl of statement.declarationList.declarations) addBindingNames(decl.name, VALUE, declared);
    } else if (ts.isFunctionDeclaration(statement) && statement.name) {
      add(statement.name, VALUE, declared);
    } else if (ts.isClassDeclaration(statement) && statement.name) {
      add(statement.name, VALUE | TYPE, declared);
    } else if (ts.isEnumDeclaration(statement)) {
      add(statement.name, VALUE | TYPE | NAMESPACE, declared);
    } else if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
      add(statement.name, TYPE, declared);
    } else if (ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name)) {
      // Only the namespace meaning is certain: a namespace holding types only provides no value.
      add(statement.name, NAMESPACE, declared);
    }
    // Imports nested in namespaces are aliases whose meanings we cannot know here: never claimed.
  }
  return declared;
}

function typeParameterDeclarations(
  typeParameters: readonly ts.TypeParameterDeclaration[] | undefined,
  declared: Declared,
): Declared {
  for (const parameter of typeParameters ?? []) add(parameter.name, TYPE, declared);
  return declared;
}

/** `infer X` declarations of a conditional type's `extends` clause (not those of nested conditional types). */
function inferDeclarations(node: ts.Node, declared: Declared): Declared {
  if (ts.isInferTypeNode(node)) add(node.typeParameter.name, TYPE, declared);
  if (!ts.isConditionalTypeNode(node)) ts.forEachChild(node, (child) => void inferDeclarations(child, declared));
  return declared;
}

/** Adds every name bound by a binding name (`x`, `{ a, b: [c] }`, ...). */
function addBindingNames(name: ts.BindingName, bits: number, declared: Declared): Declared {
  if (ts.isIdentifier(name)) return add(name, bits, declared);
  for (const element of name.elements) {
    if (ts.isBindingElement(element)) addBindingNames(element.name, bits, declared);
  }
  return declared;
}

function add(name: ts.Identifier, bits: number, declared: Declared): Declared {
  declared.set(name.text, (declared.get(name.text) ?? 0) | bits);
  return declared;
}
