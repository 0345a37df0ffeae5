/**
 * The Luhn (mod 10) check digit used by personnummer, samordningsnummer and organisationsnummer.
 * @example luhnCheckDigit('811218987') // 6
 */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  // The rightmost payload digit is doubled (the check digit will follow it).
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** Whether a digit string ends in a correct Luhn check digit. */
export function luhnValid(digits: string): boolean {
  if (digits.length < 2) return false;
  return luhnCheckDigit(digits.slice(0, -1)) === digits.charCodeAt(digits.length - 1) - 48;
}
