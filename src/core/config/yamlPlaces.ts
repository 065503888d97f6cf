import { isAlias, isCollection, isMap, isScalar, isSeq, visit, type Document, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';

type Path = readonly PropertyKey[];

/**
 * Finds the YAML nodes configuration problems are about, in time linear in the document: each mapping's keys
 * are indexed once (a linear `find` per problem made a file of 100,000 unknown keys quadratic: minutes).
 */
export class YamlPlaces {
  private readonly indexes = new WeakMap<YAMLMap, Map<unknown, Pair>>();

  constructor(private readonly doc: Document) {}

  /**
   * The offsets of the node at `path`: the value, or the key when asked (unknown keys) or when the value
   * is empty. Falls back to the deepest node that exists, so a problem is never placed nowhere.
   */
  locate(path: Path, want: 'key' | 'value'): [number, number] {
    let node: unknown = this.doc.contents;
    let best: [number, number] = rangeOf(node) ?? [0, 0];
    for (let i = 0; i < path.length; i++) {
      const segment = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = this.pairOf(node, segment);
        if (!pair) return best;
        const keyRange = rangeOf(pair.key);
        const valueRange = rangeOf(pair.value);
        if (last && (want === 'key' || !valueRange || isEmptyScalar(pair.value))) return keyRange ?? best;
        best = valueRange ?? keyRange ?? best;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
        node = node.items[segment];
        best = rangeOf(node) ?? best;
      } else {
        return best;
      }
    }
    return best;
  }

  /** The first pair of `map` whose key is `key` (as `find` would give), from an index built on first use. */
  private pairOf(map: YAMLMap, key: PropertyKey): Pair | undefined {
    let index = this.indexes.get(map);
    if (!index) {
      index = new Map();
      for (const pair of map.items) {
        const k = keyValue(pair.key);
        if (!index.has(k)) index.set(k, pair);
      }
      this.indexes.set(map, index);
    }
    return index.get(key);
  }
}

/**
 * The offsets of every key repeated in its mapping (after the first), found with one set per mapping: the
 * `yaml` package's own check (`uniqueKeys`) compares each key with all before it, quadratic in a mapping's size.
 */
export function duplicateKeys(doc: Document): [number, number][] {
  const found: [number, number][] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        if (seen.has(pair.key.value) && pair.key.range) found.push([pair.key.range[0], pair.key.range[0] + 1]);
        seen.add(pair.key.value);
      }
    },
  });
  return found;
}

/**
 * Removes every pair whose key is a mapping or a list (`[a, b]: 1`, `? {x: 1}`), which a JavaScript object cannot
 * hold (the `yaml` package would turn the key into text and warn on the console); returns where each key was.
 */
export function dropCollectionKeys(doc: Document): { start: number; end: number; kind: 'a mapping' | 'a list' }[] {
  const found: { start: number; end: number; kind: 'a mapping' | 'a list' }[] = [];
  visit(doc, {
    Pair(_, pair) {
      const key = isAlias(pair.key) ? pair.key.resolve(doc) : pair.key;
      if (!isCollection(key)) return undefined;
      const [start, end] = rangeOf(pair.key) ?? [0, 0];
      found.push({ start, end, kind: isMap(key) ? 'a mapping' : 'a list' });
      return visit.REMOVE;
    },
  });
  return found;
}

function keyValue(key: unknown): unknown {
  return isScalar(key) ? key.value : key;
}

function rangeOf(node: unknown): [number, number] | undefined {
  const range = (node as YamlNode | null | undefined)?.range;
  return range ? [range[0], range[1]] : undefined;
}

function isEmptyScalar(node: unknown): boolean {
  return isScalar(node) && node.value === null && !!node.range && node.range[0] === node.range[1];
}
