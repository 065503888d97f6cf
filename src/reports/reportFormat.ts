import type { AuditResult } from '../core/model';
import { toMarkdownReport, type MarkdownReportOptions } from './markdownReport';
import { toJsonReport } from './reporter';
import { toSarifReport, type SarifReportOptions } from './sarifReport';
import { toTextReport, type TextReportOptions } from './textReport';

/** The report formats of DESIGN.md's CLI contract. */
export type ReportFormat = 'text' | 'json' | 'sarif' | 'markdown';

/** Every report format, in the order `--help` lists them. */
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'sarif', 'markdown'];

/** Options of {@link formatReport}; each format reads its own and ignores the others. */
export type FormatReportOptions = TextReportOptions & SarifReportOptions & MarkdownReportOptions;

/** File name extension of each format, for a caller that proposes a file name ("Export report"). */
export const REPORT_EXTENSIONS: Readonly<Record<ReportFormat, string>> = {
  text: '.txt', json: '.json', sarif: '.sarif', markdown: '.md',
};

/**
 * The mission report of one audit as the text of a file or of standard output, in any format. Pure (no I/O), so
 * the CLI and the editor's export write the same bytes for the same result. JSON and SARIF end with a newline.
 */
export function formatReport(result: AuditResult, format: ReportFormat, options: FormatReportOptions = {}): string {
  switch (format) {
    case 'text': return toTextReport(result, options);
    case 'json': return `${JSON.stringify(toJsonReport(result), null, 2)}\n`;
    case 'sarif': return `${JSON.stringify(toSarifReport(result, options), null, 2)}\n`;
    case 'markdown': return toMarkdownReport(result, options);
  }
}
