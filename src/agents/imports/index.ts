import type { ts } from 'ts-morph';
import type { Finding } from '../../core/model';
import type { LineIndex } from '../../core/text';
import { linesOf, type Agent, type AgentInput } from '../../core/agent';
import { identityOf } from '../lineup';
import { undeclaredDependencyFindings } from './importDependencies';
import { findDuplicateImports, mergeDuplicatesFix } from './importDuplicates';
import { removeBindingEdit } from './importFixes';
import { analyzeImportUsage } from './importUsage';
import { findWildcardCandidates } from './importWildcard';
import { findStarImports } from './importWildcardPython';
import { appendAll } from '../../core/arrays';
import { itOrThem, listOf } from '../../core/wording';

/**
 * The `imports` agent (seeds' 07, dependency manager): `imports/unused`, `imports/duplicate` and
 * `imports/wildcard` (each with a fix), and `imports/undeclared-dependency` against the file's package.json
 * (`input.project`). When a script does not parse cleanly it says nothing: a broken tree can hide uses. For Python
 * only `from x import *` is reported.
 */
export const importsAgent: Agent = {
  ...identityOf('imports'),
  run(input: AgentInput, signal: AbortSignal): Finding[] {
    signal.throwIfAborted();
    if (input.language === 'python') return pythonWildcardFindings(input);
    const sourceFile = input.ast();
    if (!sourceFile || input.syntaxErrors().length > 0) return [];
    const lines = linesOf(input);
    const declaration = isDeclarationFile(input.path, sourceFile);
    const findings = declaration ? [] : unusedImportFindings(sourceFile, input.path, lines);
    signal.throwIfAborted();
    appendAll(findings, duplicateImportFindings(sourceFile, lines));
    if (!declaration) appendAll(findings, wildcardFindings(sourceFile, input.path, lines));
    signal.throwIfAborted();
    appendAll(findings, undeclaredDependencyFindings(sourceFile, input.project, lines));
    return findings;
  },
};

/** JS flavours take their types from JSDoc, which widens what counts as a use. */
const JAVASCRIPT_PATH = /\.(?:[cm]?js|jsx)$/i;

/**
 * Declaration files are exempt from `imports/unused`: their imports often exist only to be augmented or to
 * shape ambient declarations, and nothing there is executed anyway.
 */
function isDeclarationFile(path: string, sourceFile: ts.SourceFile): boolean {
  return sourceFile.isDeclarationFile || /\.d\.(?:[^./]+\.)?[cm]?ts$/i.test(path);
}

function unusedImportFindings(sourceFile: ts.SourceFile, path: string, lines: LineIndex): Finding[] {
  const verdicts = analyzeImportUsage(sourceFile, { isJavaScript: JAVASCRIPT_PATH.test(path) });
  const findings: Finding[] = [];
  for (const { binding, usage } of verdicts) {
    if (usage !== 'unused') continue;
    const name = binding.nameNode;
    const edit = removeBindingEdit(sourceFile, binding, verdicts);
    findings.push({
      agent: 'imports',
      rule: 'imports/unused',
      severity: 'warning',
      message: `'${binding.name}' is imported but never used`,
      range: lines.rangeOf(name.getStart(sourceFile), name.end),
      // Removes code (maybe an import just typed, not used yet): opt-in on save.
      ...(edit ? { fix: { title: `Remove unused import '${binding.name}'`, edits: [edit], safe: false } } : {}),
    });
  }
  return findings;
}

function wildcardFindings(sourceFile: ts.SourceFile, path: string, lines: LineIndex): Finding[] {
  return findWildcardCandidates(sourceFile, JAVASCRIPT_PATH.test(path)).map((candidate) => {
    const name = candidate.name;
    return {
      agent: 'imports',
      rule: 'imports/wildcard',
      severity: 'info',
      message: `Namespace import '${name.text}' is only used for ${listOf(candidate.members)}: `
        + `import ${itOrThem(candidate.members.length)} by name`,
      range: lines.rangeOf(name.getStart(sourceFile), name.end),
      ...(candidate.fix ? { fix: candidate.fix } : {}),
    };
  });
}

/**
 * Stub files (.pyi) re-export with `from x import *` by design (PEP 484), so only modules are reported.
 */
function pythonWildcardFindings(input: AgentInput): Finding[] {
  if (/\.pyi$/i.test(input.path)) return [];
  const lines = linesOf(input);
  return findStarImports(input.text).map((star) => ({
    agent: 'imports',
    rule: 'imports/wildcard',
    severity: 'warning',
    message: `'from ${star.module} import *' hides which names come from '${star.module}'`,
    range: lines.rangeOf(star.start, star.end),
  }));
}

function duplicateImportFindings(sourceFile: ts.SourceFile, lines: LineIndex): Finding[] {
  const findings: Finding[] = [];
  for (const group of findDuplicateImports(sourceFile)) {
    const firstLine = lines.positionAt(group.first.getStart(sourceFile)).line;
    const fix = mergeDuplicatesFix(sourceFile, group);
    for (const duplicate of group.duplicates) {
      const specifier = duplicate.moduleSpecifier;
      findings.push({
        agent: 'imports',
        rule: 'imports/duplicate',
        severity: 'warning',
        message: `'${group.moduleName}' is imported more than once (first at line ${firstLine})`,
        range: lines.rangeOf(specifier.getStart(sourceFile), specifier.end),
        ...(fix ? { fix } : {}),
      });
    }
  }
  return findings;
}
