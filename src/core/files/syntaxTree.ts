import type * as TsMorph from 'ts-morph';
import type { ts } from 'ts-morph';

let compiler: typeof ts | undefined;

/** Above every `SyntaxKind` (about 360 in TypeScript 6), so any node's kind indexes a table in bounds. */
const KIND_TABLE_SIZE = 1024;

/**
 * The TypeScript compiler, loaded on the first parse: a thread that only reads, hashes and looks up the cache (the
 * CLI's and the engine's main threads, whose agents run in runner threads) never pays its ~100 MB and start-up.
 */
export function typescript(): typeof ts {
  // Kept once loaded: `require` resolves its argument again on each call (several times a file otherwise).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose (see above)
  return (compiler ??= (require('ts-morph') as typeof TsMorph).ts);
}

/**
 * A source file's nodes in document pre-order, listed by one traversal and shared by every agent of the file:
 * each agent then reads arrays instead of walking the compiler's tree again through `forEachChild` callbacks.
 */
export interface FlatTree {
  /** Every node but the file itself, in document pre-order. */
  readonly nodes: readonly ts.Node[];
  /** `after[i]` is the index just past the subtree of `nodes[i]`, so a reader can skip a subtree in O(1). */
  readonly after: Int32Array;
  /** `kinds[i]` is `nodes[i].kind`: scanning it touches no node object. */
  readonly kinds: Uint16Array;
  /** The indexes of the nodes of `kind`, in document order (all kinds are indexed on the first call). */
  ofKind(kind: ts.SyntaxKind): Int32Array;
}

/**
 * Where the tree is kept: on the source file itself, so both go with the file's last reference. (A WeakMap keyed
 * by the file kept every tree until a full collection: +110 MB of peak memory on a 2,700-file cold audit.)
 */
const TREE = Symbol('flatTree');
type WithTree = ts.SourceFile & { [TREE]?: FlatTree };
type Parented = { parent: ts.Node };

/**
 * The flat tree of `sourceFile` (every node but the file itself), built on first use and kept with the file. The
 * same traversal sets every node's `parent` (JSDoc included, as the parser's `setParentNodes` does), so files are
 * parsed without it: the parser's own parent pass costs a third of the parse, this traversal a tenth.
 */
export function flatTree(sourceFile: ts.SourceFile): FlatTree {
  const file = sourceFile as WithTree;
  return (file[TREE] ??= new TreeBuilder(typescript()).build(sourceFile));
}

/**
 * Nesting deeper than this is listed with an explicit stack instead of recursion: the parser builds long
 * operator chains (`a + b + ...`) without recursing, so a file can nest deeper than the call stack allows.
 */
const MAX_RECURSION = 1000;

/**
 * Pre-order by recursion through `forEachChild`, which costs a third of the parser's `setParentNodes` pass (that
 * one gathers each node's children into new arrays); subtrees nested deeper than `MAX_RECURSION` go through
 * `listDeep` instead.
 */
class TreeBuilder {
  private readonly nodes: ts.Node[] = [];
  private after = new Int32Array(1024);
  private kinds = new Uint16Array(1024);
  /** Nodes listed by kind, for `ofKind`'s index. */
  private readonly counts = new Int32Array(KIND_TABLE_SIZE);
  private parent: ts.Node | undefined;
  private depth = 0;
  /** Whether the parser made JSDoc nodes (read on every node otherwise: a lookup that misses on most shapes). */
  private withDocs = true;
  private readonly visit = (child: ts.Node): void => {
    const index = this.list(child, this.parent!);
    // Tokens (identifiers, keywords, literals: a third of all nodes) have no children: no call to find none.
    if (child.kind < this.firstNode) {
      this.after[index] = index + 1;
      return;
    }
    if (++this.depth > MAX_RECURSION) this.listDeep(child);
    else {
      this.parent = child;
      this.compiler.forEachChild(child, this.visit);
    }
    this.depth--;
    this.parent = (child as unknown as Parented).parent;
    this.after[index] = this.nodes.length;
  };

  /** `SyntaxKind.FirstNode`: every kind below is a token, which `forEachChild` has no children for. */
  private readonly firstNode: number;

  constructor(private readonly compiler: typeof ts) {
    this.firstNode = compiler.SyntaxKind.FirstNode;
  }

  build(root: ts.SourceFile): FlatTree {
    this.parent = root;
    this.withDocs = (root as { jsDocParsingMode?: ts.JSDocParsingMode }).jsDocParsingMode !== this.compiler.JSDocParsingMode.ParseNone;
    this.compiler.forEachChild(root, this.visit);
    const length = this.nodes.length;
    return new Tree(this.nodes, this.after.subarray(0, length), this.kinds.subarray(0, length), this.counts);
  }

  /** Appends `node` (its parent set, its JSDoc bound); returns its index. */
  private list(node: ts.Node, parent: ts.Node): number {
    (node as unknown as Parented).parent = parent;
    const index = this.nodes.push(node) - 1;
    if (index === this.kinds.length) this.grow();
    this.kinds[index] = node.kind;
    this.counts[node.kind]++;
    if (!this.withDocs) return index;
    const docs = (node as { jsDoc?: ts.Node[] }).jsDoc;
    if (docs) for (const doc of docs) bindParents(doc, node, this.compiler);
    return index;
  }

  private grow(): void {
    const after = new Int32Array(this.after.length * 2);
    after.set(this.after);
    this.after = after;
    const kinds = new Uint16Array(this.kinds.length * 2);
    kinds.set(this.kinds);
    this.kinds = kinds;
  }

  /**
   * The descendants of `root` (already listed) with an explicit stack: a node is listed when popped, then a
   * marker that closes its subtree and its children, last child first, are pushed.
   */
  private listDeep(root: ts.Node): void {
    const stack: (ts.Node | number)[] = [];
    const children: ts.Node[] = [];
    const collect = (child: ts.Node): void => void children.push(child);
    const pushChildren = (node: ts.Node): void => {
      this.compiler.forEachChild(node, collect);
      for (let i = children.length - 1; i >= 0; i--) {
        (children[i] as unknown as Parented).parent = node;
        stack.push(children[i]);
      }
      children.length = 0;
    };
    pushChildren(root);
    while (stack.length > 0) {
      const top = stack.pop()!;
      if (typeof top === 'number') {
        this.after[top] = this.nodes.length;
        continue;
      }
      const index = this.list(top, (top as unknown as Parented).parent);
      stack.push(index);
      pushChildren(top);
    }
  }
}

class Tree implements FlatTree {
  private byKind: { starts: Int32Array; order: Int32Array } | undefined;

  constructor(
    readonly nodes: readonly ts.Node[], readonly after: Int32Array, readonly kinds: Uint16Array,
    private readonly counts: Int32Array,
  ) {}

  ofKind(kind: ts.SyntaxKind): Int32Array {
    const { starts, order } = (this.byKind ??= indexKinds(this.kinds, this.counts));
    return kind >= 0 && kind < this.counts.length ? order.subarray(starts[kind], starts[kind + 1]) : order.subarray(0, 0);
  }
}

/**
 * A counting sort of the node indexes by kind (the counts were taken while listing): `order[starts[k] ..
 * starts[k + 1])` are the nodes of kind `k`.
 */
function indexKinds(kinds: Uint16Array, counts: Int32Array): { starts: Int32Array; order: Int32Array } {
  const starts = new Int32Array(counts.length + 1);
  for (let k = 0; k < counts.length; k++) starts[k + 1] = starts[k] + counts[k];
  const next = starts.slice(0, counts.length);
  const order = new Int32Array(kinds.length);
  for (let i = 0; i < kinds.length; i++) order[next[kinds[i]]++] = i;
  return { starts, order };
}

/** Parents of a JSDoc comment's nodes (not listed: agents read comments as text). JSDoc trees are shallow. */
function bindParents(node: ts.Node, parent: ts.Node, compiler: typeof ts): void {
  (node as unknown as Parented).parent = parent;
  compiler.forEachChild(node, (child) => bindParents(child, node, compiler));
}

/**
 * A lookup table over syntax kinds: `table[kind]` is 1 for the `kinds` given, 0 otherwise. Reading it with a flat
 * tree's `kinds` skips the nodes an agent has no rule for without touching them.
 */
export function kindTable(kinds: Iterable<ts.SyntaxKind>): Uint8Array {
  const table = new Uint8Array(KIND_TABLE_SIZE);
  for (const kind of kinds) table[kind] = 1;
  return table;
}

