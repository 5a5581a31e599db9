import { PDFDocument, StandardFonts } from 'pdf-lib';
(async () => {
  const doc = await PDFDocument.create();
  for (const f of [StandardFonts.Helvetica, StandardFonts.HelveticaBold]) {
    const cs = doc.embedStandardFont(f).getCharacterSet();
    const s = new Set(cs);
    const hi = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';
    const expected = new Set<number>();
    for (let c = 0x20; c <= 0x7e; c++) expected.add(c);
    for (let c = 0xa0; c <= 0xff; c++) expected.add(c);
    for (const ch of hi) expected.add(ch.codePointAt(0)!);
    console.log(f, cs.length, expected.size, [...s].filter(c => !expected.has(c)).map(c => c.toString(16)), [...expected].filter(c => !s.has(c)).map(c => c.toString(16)));
  }
})();
