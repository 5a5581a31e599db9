import { PDFDocument, StandardFonts } from 'pdf-lib';
(async () => {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const f = doc.embedStandardFont(StandardFonts.Helvetica);
  const cs = new Set(f.getCharacterSet());
  for (const ch of ['\u00a0','\u202f','€','é','’','«','œ','–','—','…','\u2009','ŀ','ő','→','×','≥','№','°','\u2011']) console.log(JSON.stringify(ch), ch.codePointAt(0)!.toString(16), cs.has(ch.codePointAt(0)!));
  const p = doc.addPage();
  p.drawText('12\u00a0€ é', { font: f, size: 10, x: 10, y: 10 });
  doc.setCreationDate(new Date('2026-07-10T07:00:00Z')); doc.setModificationDate(new Date('2026-07-10T07:00:00Z')); doc.setProducer('x');
  const b = await doc.save();
  console.log(b.length, Buffer.from(b).toString('latin1').slice(0, 2000).replace(/[^\x20-\x7e\n]/g, '.'));
})();
