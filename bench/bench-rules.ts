/** The rules every bench masks with: 8 columns of customers (9 with `maskedDate`: birth_date shifted), orders kept. */
export function benchRules(options: { readonly unique: boolean; readonly maskedDate?: boolean }): string {
  return `# pgmask bench: ${options.maskedDate ? 9 : 8} masked columns of customers, orders kept.
version: 1
unlisted: fail
tables:
  public.customers:
    columns:
      id: keep
      personnummer: se.personnummer
      first_name: person.first_name
      last_name: person.last_name
      email: ${options.unique ? '{ transform: email, unique: true }' : 'email'}
      phone: se.phone
      street: address.street
      postal_code: keep
      city: keep
      birth_date: ${options.maskedDate ? 'date.shift' : 'keep'}
      created_at: keep
      notes: text.scrub
      metadata: { transform: json, paths: { "$.contact.email": email } }
  public.orders:
    columns: { id: keep, customer_id: keep, amount: keep, status: keep, address: keep, created_at: keep }
`;
}
