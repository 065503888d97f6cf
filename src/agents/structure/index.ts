import { ts } from 'ts-morph';
import type { Finding } from '../../core/model';
import { linesOf, type Agent, type AgentInput } from '../../core/agent';
import { identityOf } from '../lineup';

/** At most this many syntax errors per file: after the first few the parser mostly reports its own recovery. */
const MAX_SYNTAX_ERRORS = 20;

/**
 * The structure analyser (seeds' agent 01): parses scripts with the TypeScript parser (shared with the
 * other agents through `input.ast()`) and reports syntax errors as `syntax/error`.
 */
export const structureAgent: Agent = {
  ...identityOf('structure'),
  run(input: AgentInput): Finding[] {
    const errors = input.syntaxErrors();
    if (errors.length === 0) return [];
    const lines = linesOf(input);
    return errors.slice(0, MAX_SYNTAX_ERRORS).map((diagnostic) => {
      const start = diagnostic.start;
      // A zero-length error (a missing token) still gets a visible, one-character squiggle when possible.
      const end = start + Math.max(diagnostic.length, start < input.text.length ? 1 : 0);
      return {
        agent: 'structure',
        rule: 'syntax/error',
        severity: 'error',
        message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
        range: lines.rangeOf(start, end),
      };
    });
  },
};
