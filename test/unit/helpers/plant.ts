import { applyEdits } from '../../../src/core/text';
import { createPlantContext, type DefectKind, type PlantContext, type PlantedDefect, type Site } from './plantContext';
import { duplicateImportSites, unusedBindingSites, unusedImportSites } from './plantImports';
import {
  blankLineSites, finalNewlineSites, indentationSites, MAX_DEFECTS_PER_FILE, trailingWhitespaceSites,
} from './plantText';
import { pick, randomInt, type Random } from './random';

export type { DefectKind, PlantedDefect } from './plantContext';
export { MAX_DEFECTS_PER_FILE } from './plantText';

/** Where each kind of defect can go in a file. */
const SITE_FINDERS: Readonly<Record<DefectKind, (context: PlantContext) => Site[]>> = {
  'trailing-whitespace': trailingWhitespaceSites,
  indentation: indentationSites,
  'blank-lines': blankLineSites,
  'final-newline': finalNewlineSites,
  'unused-import': unusedImportSites,
  'unused-binding': unusedBindingSites,
  'duplicate-import': duplicateImportSites,
};

/** Every kind the planter knows. */
export const DEFECT_KINDS = Object.keys(SITE_FINDERS) as DefectKind[];

/** A file with defects planted in it. */
export interface Plantation {
  readonly text: string;
  readonly defects: readonly PlantedDefect[];
  /**
   * Whether fixing must give back the fixed original's text up to blank-line runs and indentation; false
   * when a merged import may be written back with other blanks than the original had (tokens still match).
   */
  readonly exactLayout: boolean;
}

/**
 * Plants one to `MAX_DEFECTS_PER_FILE` defects in `text`, each on lines no other defect touches, kinds drawn
 * uniformly among those that have a place left in this file (and not `excluded`). Every defect keeps the file's
 * syntax as it was.
 */
export function plantDefects(
  path: string, text: string, random: Random, excluded: readonly DefectKind[] = [],
): Plantation {
  const context = createPlantContext(path, text);
  const kindsHere = DEFECT_KINDS.filter((kind) => !excluded.includes(kind));
  const sites = new Map(kindsHere.map((kind) => [kind, SITE_FINDERS[kind](context)]));
  const claimed = new Set<number>();
  const free = (site: Site): boolean => site.lines.every((line) => !claimed.has(line));
  const wanted = randomInt(random, 1, MAX_DEFECTS_PER_FILE);
  const edits = [];
  const defects: PlantedDefect[] = [];
  let exactLayout = true;
  for (let serial = 0; serial < wanted; serial++) {
    const kinds = kindsHere.filter((kind) => sites.get(kind)!.some(free));
    if (kinds.length === 0) break;
    const site = pick(random, sites.get(pick(random, kinds))!.filter(free));
    const planting = site.make(random, serial);
    for (const line of site.lines) claimed.add(line);
    edits.push(...planting.edits);
    defects.push(planting.defect);
    exactLayout &&= planting.exactLayout;
  }
  return { text: applyEdits(text, edits), defects, exactLayout };
}
