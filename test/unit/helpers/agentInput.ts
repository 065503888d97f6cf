import type { AgentInput } from '../../../src/core/agent';
import { createAgentInput } from '../../../src/core/files/fileAudit';
import type { Fix } from '../../../src/core/model';
import type { ProjectContext } from '../../../src/core/files/projectContext';
import { applyEdits } from '../../../src/core/text';

/**
 * The agents' view of `text` as if read from `path`, built exactly as the coordinator builds it
 * (language from the extension, one lazy parse with parent nodes, the parser's syntax errors), with the
 * project context the coordinator would pass, if any.
 */
export function makeInput(path: string, text: string, project?: ProjectContext): AgentInput {
  return createAgentInput(path, text, undefined, project);
}

/** `text` with every edit of `fix` applied (0-based UTF-16 offsets, end exclusive); throws on overlapping edits. */
export function applyFix(text: string, fix: Fix): string {
  return applyEdits(text, fix.edits);
}
