import { ts } from 'ts-morph';
import { flatTree } from '../core/syntaxTree';

export { flatTree, kindTable, type FlatTree } from '../core/syntaxTree';

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
