import type { PiiKind } from '../pii-kind.js';

/** What a column's name or comment says about the personal data it holds. */
export interface NameSignal {
  readonly kind: PiiKind;
  readonly strength: 'strong' | 'weak';
  /** The dictionary word that matched, e.g. "email", "förnamn" — never text from the data; for comments the dictionary word found in it. */
  readonly word: string;
  readonly source: 'column' | 'comment';
}
