import { transformers } from '../transformers/registry.js';
import { rulesJsonSchema } from './rules-schema.js';

/** The text of rules/schema.json for the registered transformers, as `npm run schema` writes it. */
export function rulesSchemaText(): string {
  return `${JSON.stringify(rulesJsonSchema(transformers), null, 2)}\n`;
}
