import { Document, isCollection, isScalar, type Node, Scalar, visit, YAMLMap } from 'yaml';
import type { ProposedRule } from './proposal.js';

/** Past this many characters, a rule's line is written as a block mapping instead of `{ ... }`. */
const MAX_FLOW_LINE = 160;

/**
 * The YAML node of a proposed rule: the transformer's name as a plain scalar when the rule has
 * no options and is not unique (`id: keep`), otherwise a flow mapping with `transform` first,
 * then `unique`, then the transformer's options, nested objects as flow mappings too
 * (`{ transform: json, paths: { "$.contact.email": email } }`). A rule whose line would pass
 * 160 characters (at `indent`, after `column: `) becomes a block mapping.
 */
export function ruleNode(document: Document, column: string, rule: ProposedRule, indent = 6): Node {
  const options = rule.options ?? {};
  if (rule.unique !== true && Object.keys(options).length === 0) return document.createNode(rule.transform) as Node;
  const map = new YAMLMap();
  map.add(document.createPair('transform', rule.transform));
  if (rule.unique === true) map.add(document.createPair('unique', true));
  for (const [key, value] of Object.entries(options)) map.add(document.createPair(key, value));
  // Keys that start with `$` (JSON paths) are double-quoted, as the README writes them.
  visit(map, {
    Pair(_, pair) {
      if (isScalar(pair.key) && typeof pair.key.value === 'string' && pair.key.value.startsWith('$')) pair.key.type = Scalar.QUOTE_DOUBLE;
    },
  });
  setFlow(map, true);
  if (indent + lineOf(column, map).length > MAX_FLOW_LINE) setFlow(map, false);
  return map;
}

/** Sets every collection in a node (itself included) to flow or block style. */
function setFlow(node: Node, flow: boolean): void {
  if (isCollection(node)) node.flow = flow;
  visit(node, {
    Map(_, map) {
      map.flow = flow;
    },
    Seq(_, seq) {
      seq.flow = flow;
    },
  });
}

/** The line `column: { ... }` as YAML writes it. */
function lineOf(column: string, rule: YAMLMap): string {
  const entry = new YAMLMap();
  entry.set(new Scalar(column), rule);
  return new Document(entry).toString({ lineWidth: 0 }).trimEnd();
}
