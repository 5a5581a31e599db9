/** A valid POST /invoices body (due Friday 2026-04-03, Paris business debtor); override any field. */
export function invoice(overrides: Record<string, any> = {}) {
  return {
    invoiceNumber: 'F-2026-0042',
    issueDate: '2026-03-04',
    dueDate: '2026-04-03',
    amount: '1250.00',
    currency: 'EUR',
    description: 'Prestation de conseil, mars 2026',
    debtor: {
      kind: 'business',
      name: 'Boulangerie Dupont SARL',
      email: 'compta@boulangerie-dupont.example',
      language: 'fr',
      siren: '732829320',
      address: { line1: '3 place du Marché', postalCode: '75011', city: 'Paris', country: 'FR' },
    },
    ...overrides,
  };
}
