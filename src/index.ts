/**
 * pgmask's public library API. Explicit named exports, no side effects on import.
 */
export { ExitCode, PgmaskError, UsageError, ConfigError, KeyError, CopyFormatError, TransformError, DatabaseError } from './errors.js';
export type { FilePosition, CopyPosition } from './errors.js';
export { run } from './cli/main.js';
export { loadRules, parseRules, readRulesFile, RulesError } from './config/rules.js';
export type { Rules, TableRule, ColumnRule, ParsedRules, ParseRulesOptions } from './config/rules.js';
export { formatFinding, summarize } from './config/finding.js';
export type { Finding, FindingSummary, Severity } from './config/finding.js';
export { readCatalog } from './catalog/read-catalog.js';
export type { ReadCatalogOptions } from './catalog/read-catalog.js';
export type { Catalog, Table, Column, View, ForeignKey, TypeFamily, TableKind } from './catalog/types.js';
export { checkRules } from './pipeline/check-rules.js';
export type { CheckRulesOptions } from './pipeline/check-rules.js';
export { validate } from './pipeline/validate.js';
export type { ValidateOptions, ValidationResult } from './pipeline/validate.js';
export { unescapeField, escapeField, needsEscape, isNullField } from './copy/escape.js';
export { LazyRow } from './copy/lazy-row.js';
export { ChunkWriter, DEFAULT_CHUNK_SIZE } from './copy/chunk-writer.js';
export { RowSplitter, RowSplitterStream } from './copy/row-splitter.js';
export type { RowSplitterOptions } from './copy/row-splitter.js';
export { createRowRewriter, RowRewriter } from './copy/row-rewriter.js';
export type { RowRewriterOptions } from './copy/row-rewriter.js';
export { loadKey, maskingKeyFromBytes, MIN_KEY_BYTES } from './random/key.js';
export type { MaskingKey, LoadKeyOptions } from './random/key.js';
export { createMaskingSession, buildTransform } from './transformers/build-transform.js';
export type { MaskingSession, MaskingSessionOptions, MaskingWarning } from './transformers/build-transform.js';
export { transformers, findTransformer, transformerNames } from './transformers/registry.js';
export { transformersMarkdown, transformersText } from './transformers/catalogue.js';
export type { TransformerDefinition, TransformerContext, TransformFn, RowValues, RuleSpec, ColumnTarget, DomainPrf, JsonSchema } from './transformers/transformer.js';
export { loadTestNumbers, testdataDir, testdataPath, testdataCacheDir, TESTDATA_FILES } from './se/testdata.js';
export type { TestNumberKind, TestNumberList, TestdataLocation } from './se/testdata.js';
export { fetchTestdata, SKATTEVERKET_API, SKATTEVERKET_DATASETS } from './se/fetch-testdata.js';
export type { FetchTestdataOptions, FetchedList } from './se/fetch-testdata.js';
export { parseIdentityNumber, formatIdentityNumber } from './se/identity-number.js';
export type { IdentityNumber, IdentityForm } from './se/identity-number.js';
