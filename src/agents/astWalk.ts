import { ts } from 'ts-morph';

/**
 * Visits every node under `root` (not `root` itself) with an explicit stack, so deeply nested expressions cannot
 * overflow the call stack. `visit` returns false to leave a node's children out. The order is unspecified:
 * callers collect facts, they do not depend on document order.
 */
export function walkDescendants(root: ts.Node, visit: (node: ts.Node) => boolean | void): void {
  const stack: ts.Node[] = [];
  const push = (child: ts.Node): void => void stack.push(child);
  ts.forEachChild(root, push);
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (visit(node) !== false) ts.forEachChild(node, push);
  }
}
