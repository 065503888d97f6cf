import { ts } from 'ts-morph';
import { flatTree } from '../../core/files/syntaxTree';

export { flatTree, kindTable, type FlatTree } from '../../core/files/syntaxTree';

const { forEachChild } = ts;

/**
 * Visits every node under `root` (not `root` itself). `visit` returns false to leave a node's children out.
 * Under a source file the shared flat tree is read (document order); under any other node the children are
 * walked with an explicit stack (order unspecified). Callers collect facts, they do not depend on the order.
 */
export function walkDescendants(root: ts.Node, visit: (node: ts.Node) => boolean | void): void {
  if (root.kind === ts.SyntaxKind.SourceFile) {
    const { nodes, after } = flatTree(root as ts.SourceFile);
    for (let i = 0; i < nodes.length;) i = visit(nodes[i]) === false ? after[i] : i + 1;
    return;
  }
  const stack: ts.Node[] = [];
  const push = (child: ts.Node): void => void stack.push(child);
  forEachChild(root, push);
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (visit(node) !== false) forEachChild(node, push);
  }
}

/** Nodes passed between two abort checks: cheap enough to keep a cancelled audit from finishing a huge file. */
const ABORT_CHECK_INTERVAL = 4096;

/**
 * Checks `signal` now, then returns a tick to call once per node: every `ABORT_CHECK_INTERVAL` ticks it checks
 * again (throwing the signal's reason once aborted), so a long walk stays cancellable at a negligible cost.
 */
export function abortCheck(signal: AbortSignal): () => void {
  signal.throwIfAborted();
  let budget = ABORT_CHECK_INTERVAL;
  return () => {
    if (--budget > 0) return;
    budget = ABORT_CHECK_INTERVAL;
    signal.throwIfAborted();
  };
}
