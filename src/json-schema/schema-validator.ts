import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

/** The process's one ajv instance, made at the first compile. */
let ajv: Ajv2020 | undefined;
const validators = new WeakMap<object, ValidateFunction>();

/**
 * The validator of one of pgmask's own schemas (the rules file's, a transformer's options),
 * compiled once per process and shared by every rules file and masking session. Strict, all
 * errors. The schemas are not checked against JSON Schema's meta-schema here: compiling the
 * meta-schema costs about 50 ms at every start, and the tests check each schema against it
 * (test/config/rules-schema.test.ts, test/transformers/definitions.test.ts). Pass schemas that
 * live as long as the process: ajv keeps each one it compiled.
 */
export function schemaValidator(schema: object): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    ajv ??= new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true, validateSchema: false });
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  return validate;
}
