import { type Document, isMap, isScalar, type Node, Scalar, YAMLMap } from 'yaml';
import { columnComment } from './column-comment.js';
import type { ColumnProposal } from './proposal.js';
import { ruleNode } from './rule-node.js';

/**
 * A `columns:` mapping of proposed rules, in the given order, each rule with its evidence as a
 * trailing comment. Column names are YAML strings: the library quotes those that need it
 * (`"123"`, `"true"`, `"a: b"`). `indent` is the column of the names, for the line-length rule.
 */
export function columnEntries(document: Document, columns: readonly ColumnProposal[], indent = 6): YAMLMap {
  const map = new YAMLMap();
  for (const column of columns) {
    const value = ruleNode(document, column.column, column.rule, indent);
    const comment = columnComment(column);
    if (comment !== undefined) commentHolder(value).comment = comment;
    map.add(document.createPair(new Scalar(column.column), value));
  }
  return map;
}

/** Where a rule's comment goes: the rule itself, or in a block mapping its `transform:` value (so the comment sits on a line of the rule). */
function commentHolder(rule: Node): Node {
  if (isMap(rule) && !rule.flow) {
    const first = rule.items[0]?.value;
    if (isScalar(first)) return first;
  }
  return rule;
}
