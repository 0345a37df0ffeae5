import type { ColumnProposal } from './proposal.js';

/** One line of comment text: line breaks become spaces. */
const oneLine = (text: string): string => text.replace(/[\r\n]+/g, ' ').trim();

/**
 * The trailing comment of a proposed column rule: `review: ...` first when the scan is unsure,
 * then the evidence phrases joined with "; ". Undefined when there is nothing to say. The
 * text starts with a space, so that YAML writes it as `# review: ...`.
 */
export function columnComment(column: ColumnProposal): string | undefined {
  const parts = [...(column.review !== undefined ? [`review: ${oneLine(column.review)}`] : []), ...column.evidence.map(oneLine)].filter((p) => p !== '');
  return parts.length > 0 ? ` ${parts.join('; ')}` : undefined;
}
