/**
 * A synthetic accounting export (French Excel style: BOM, ";", decimal commas, JJ/MM/AAAA) of `n`
 * invoices, deterministic for a seed: the CSV import test and `npm run bench` use it.
 */
export function invoiceExport(n: number, seed = 1): string {
  let state = seed >>> 0 || 1;
  const rand = () => {
    // xorshift32: small, seeded, good enough for test data.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
  const cities = [
    ['75011', 'Paris'],
    ['69003', 'Lyon'],
    ['13001', 'Marseille'],
    ['67000', 'Strasbourg'],
    ['33000', 'Bordeaux'],
  ];
  const lines = ["N° facture;Date facture;Date d'échéance;Montant TTC;Raison sociale;Courriel;Adresse;Code postal;Ville;Type client"];
  for (let i = 0; i < n; i++) {
    const cents = 1_000 + Math.floor(rand() * 5_000_000);
    const euros = Math.floor(cents / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
    const [cp, city] = cities[Math.floor(rand() * cities.length)];
    const day = 1 + Math.floor(rand() * 27);
    lines.push(
      [
        `IMP-${String(i).padStart(6, '0')}`,
        `${String(day).padStart(2, '0')}/02/2026`,
        `${String(day).padStart(2, '0')}/03/2026`,
        `${euros},${String(cents % 100).padStart(2, '0')}`,
        `Client ${i} SARL`,
        `compta+${i}@client.example`,
        `${1 + (i % 90)} rue de la République`,
        cp,
        city,
        rand() < 0.8 ? 'Professionnel' : 'Particulier',
      ].join(';'),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
