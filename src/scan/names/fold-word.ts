const FOLDS: Readonly<Record<string, string>> = { å: 'a', ä: 'a', ö: 'o', é: 'e', è: 'e', ü: 'u', æ: 'a', ø: 'o' };

/**
 * A lower-case word with its Swedish and other accented letters folded to ASCII (`förnamn` → `fornamn`),
 * for comparing a name with the dictionary: schemas spell `fodelsedatum` as often as `födelsedatum`.
 * Every letter folds to exactly one letter, so offsets in the folded word are offsets in the word.
 */
export function foldWord(word: string): string {
  return word.replace(/[åäöéèüæø]/g, (letter) => FOLDS[letter] ?? letter);
}
