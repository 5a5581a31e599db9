/**
 * Building blocks shared by the notice templates: invoice references, the amount breakdown, payment
 * methods, contact, signature, and the agency (R124-4 CPCE) mentions. Everything returns plain
 * strings; user-supplied values pass through singleLine/plainText here, escaping is the renderers' job.
 */
import type { Language } from '../../domain/model';
import { isSafeHttpsUrl, plainText, singleLine } from '../escape';
import {
  addressInline,
  addressLines,
  formatDate,
  formatIban,
  formatRate,
  formatSiren,
  money,
  parisDate,
} from '../format';
import { L111_8_PARAGRAPHS_2_3_EN, L111_8_PARAGRAPHS_2_3_FR, L111_8_TITLE } from '../legal-texts';
import type { AmountRow, Block, Field, Letter } from '../letter';
import type { NoticeContext, NoticeKind, NoticeRecipient } from '../types';
import { AGENCY_ACTIVITY, NO_COLLECTION_FEES, PROVISIONAL } from '../wording';
import { allocationChoice } from '../../domain/settlement';

/** What a template produces; render.ts turns it into text, HTML and (when asked) a PDF. */
export interface NoticeDraft {
  to: NoticeRecipient;
  subject: string;
  letter: Letter;
  /** Also render the letter as a PDF attachment with this file name. */
  pdf?: { filename: string };
  /** Other documents attached (rendered by render.ts, e.g. the litigation dossier PDF). */
  documents?: { filename: string; contentType: string; render: () => Promise<Uint8Array> }[];
}

export type Template = (ctx: NoticeContext) => NoticeDraft;

/** Picks the French or English wording. */
export function tr(language: Language): (fr: string, en: string) => string {
  return (fr, en) => (language === 'fr' ? fr : en);
}

/** Formatting helpers bound to one language. */
export function fmt(language: Language) {
  return {
    t: tr(language),
    money: (cents: number) => money(cents, language),
    date: (d: string) => formatDate(d, language),
    rate: (r: string) => formatRate(r, language),
  };
}

const KIND_CODES: Record<NoticeKind, string> = {
  first_reminder: 'R1',
  formal_reminder: 'R2',
  formal_notice: 'MED',
  litigation_handoff: 'CTX',
  payment_receipt: 'REC',
  promise_confirmation: 'PRO',
  payment_plan_confirmation: 'ECH',
  instalment_reminder: 'ECR',
  dispute_acknowledgment: 'CON',
  dispute_rejection: 'REJ',
};

/**
 * The reference printed on a letter ("Notre référence"), in the footer of the PDF and in subjects:
 * the creditor’s readable reference, built on the invoice number ("F-2026-0042-MED"), never an
 * internal id. In agency mode, letterReference(invoiceNumber, 'first_reminder') is stored with the
 * sending date: later letters repeat both (ctx.agencyFirstLetter).
 * TODO(referenceFormat): a creditor profile’s custom `referenceFormat` ("{invoiceNumber}-{stage}",
 * branch admin) would plug in here; until it is wired, the invoice-number form is the default.
 */
export function letterReference(invoiceNumber: string, kind: NoticeKind): string {
  return `${singleLine(invoiceNumber)}-${KIND_CODES[kind]}`;
}

/** This letter’s readable reference. */
export function readableReference(ctx: NoticeContext): string {
  return letterReference(ctx.invoice.invoiceNumber, ctx.kind);
}

export function invoiceNumber(ctx: NoticeContext): string {
  return singleLine(ctx.invoice.invoiceNumber);
}

export function creditorName(ctx: NoticeContext): string {
  return singleLine(ctx.creditor.legalName);
}

export function debtorName(ctx: NoticeContext): string {
  return singleLine(ctx.debtor.name);
}

/** The date printed on the letter: the sending day in Paris. */
export function letterDate(ctx: NoticeContext): string {
  return parisDate(ctx.sentAt);
}

/**
 * The salutation. A consumer is addressed by name (civility is not known: "Madame, Monsieur
 * Élodie Durand-Lefèvre," on formal letters, "Bonjour Élodie Durand-Lefèvre," otherwise); a
 * business by the usual "Madame, Monsieur,".
 */
export function greeting(language: Language, ctx?: NoticeContext, formal = false): string {
  const t = tr(language);
  if (ctx && ctx.debtor.kind === 'consumer' && singleLine(ctx.debtor.name)) {
    const name = debtorName(ctx);
    return formal ? t(`Madame, Monsieur ${name},`, `Dear ${name},`) : t(`Bonjour ${name},`, `Dear ${name},`);
  }
  return t('Madame, Monsieur,', 'Dear Sir or Madam,');
}

/**
 * Who acts when only the creditor can (sue, waive): "nous" when the creditor writes, "notre mandant"
 * when a collection agency writes for it (the agency has no claim of its own, CPCE R124-4).
 */
export function actor(ctx: NoticeContext): { agency: boolean; fr: string; en: string } {
  if (!ctx.creditor.agency) return { agency: false, fr: 'nous', en: 'we' };
  const name = creditorName(ctx);
  return { agency: true, fr: `notre mandant, ${name},`, en: `our principal, ${name},` };
}

/**
 * The payments received so far, each with its date (every letter lists them). Empty when none.
 */
export function paymentsReceivedBlocks(ctx: NoticeContext, language: Language, heading = true): Block[] {
  const payments = ctx.breakdown.payments ?? [];
  if (payments.length === 0) return [];
  const f = fmt(language);
  return [
    ...(heading ? [{ type: 'heading' as const, text: f.t('Paiements déjà reçus', 'Payments already received') }] : []),
    {
      type: 'fields',
      rows: payments.map((p) => ({
        label: f.t(`Paiement du ${f.date(p.paidOn)}`, `Payment of ${f.date(p.paidOn)}`),
        value: `${f.money(p.amountCents)}${p.reference ? f.t(` (réf. ${singleLine(p.reference)})`, ` (ref. ${singleLine(p.reference)})`) : ''}`,
      })),
    },
  ];
}

export function closing(language: Language, formal: boolean): string {
  const t = tr(language);
  return formal
    ? t("Nous vous prions d’agréer, Madame, Monsieur, l’expression de nos salutations distinguées.", 'Yours faithfully,')
    : t("Nous vous prions d’agréer, Madame, Monsieur, nos salutations distinguées.", 'Kind regards,');
}

/** In agency mode the subject says for whom the agency writes. */
export function subjectSuffix(ctx: NoticeContext, language: Language): string {
  if (!ctx.creditor.agency) return '';
  return tr(language)(` (pour le compte de ${creditorName(ctx)})`, ` (on behalf of ${creditorName(ctx)})`);
}

/** Reference lines at the top of every debtor notice. */
export function references(ctx: NoticeContext, language: Language): Field[] {
  const f = fmt(language);
  const rows: Field[] = [
    { label: f.t('Notre référence', 'Our reference'), value: readableReference(ctx) },
    { label: f.t('Date', 'Date'), value: f.date(letterDate(ctx)) },
    { label: f.t('Facture n°', 'Invoice no.'), value: invoiceNumber(ctx) },
  ];
  const first = ctx.agencyFirstLetter;
  if (ctx.creditor.agency && first && ctx.kind !== 'first_reminder') {
    rows.push({
      label: f.t('Notre premier courrier', 'Our first letter'),
      value: f.t(`référence ${singleLine(first.reference)} du ${f.date(first.date)}`, `reference ${singleLine(first.reference)} of ${f.date(first.date)}`),
    });
  }
  return rows;
}

/** "prestations de conseil" or the generic nature of the debt. */
export function natureOfDebt(ctx: NoticeContext, language: Language): string {
  const d = ctx.invoice.description ? singleLine(plainText(ctx.invoice.description)) : '';
  return d || tr(language)('la fourniture de biens ou de services', 'the supply of goods or services');
}

export function invoiceFields(ctx: NoticeContext, language: Language): Field[] {
  const f = fmt(language);
  const rows: Field[] = [
    { label: f.t('Facture n°', 'Invoice no.'), value: invoiceNumber(ctx) },
    { label: f.t("Date d’émission", 'Issue date'), value: f.date(ctx.invoice.issueDate) },
    { label: f.t("Date d’échéance", 'Due date'), value: f.date(ctx.invoice.dueDate) },
    { label: f.t('Montant TTC', 'Amount incl. VAT'), value: f.money(ctx.invoice.amountCents) },
  ];
  if (ctx.invoice.description) rows.push({ label: f.t('Objet', 'Description'), value: natureOfDebt(ctx, language) });
  return rows;
}

/**
 * The breakdown as printed: principal, one line per interest period (days, rate, basis), the
 * 40 EUR indemnity (B2B only), payments received, total. Never a collection fee: the breakdown has
 * no such field and none is added here (L111-8 CPCE).
 */
export function amountRows(ctx: NoticeContext, language: Language): AmountRow[] {
  const f = fmt(language);
  const b = ctx.breakdown;
  const rows: AmountRow[] = [
    {
      label: f.t(`Principal (facture n° ${invoiceNumber(ctx)}, TTC)`, `Principal (invoice ${invoiceNumber(ctx)}, incl. VAT)`),
      amount: f.money(b.principalCents),
    },
  ];
  for (const line of b.interest.lines) {
    const period = f.t(`du ${f.date(line.from)} au ${f.date(line.to)}`, `from ${f.date(line.from)} to ${f.date(line.to)}`);
    const label =
      b.interest.basis === 'legal'
        ? f.t(`Intérêts au taux légal ${period}`, `Interest at the statutory rate ${period}`)
        : b.interest.basis === 'ccp-l2192-13'
          ? f.t(`Intérêts moratoires ${period}`, `Moratory interest (intérêts moratoires) ${period}`)
          : f.t(`Pénalités de retard ${period}`, `Late-payment penalties ${period}`);
    const detail =
      f.t(
        `${line.days} jours × ${f.rate(line.ratePercent)} l’an sur ${f.money(line.basisCents)}`,
        `${line.days} days × ${f.rate(line.ratePercent)} a year on ${f.money(line.basisCents)}`,
      ) + (line.provisional ? ` – ${PROVISIONAL[language]}` : '');
    rows.push({ label, detail, amount: f.money(line.amountCents) });
  }
  if (b.regime === 'b2b' && b.indemnityCents > 0) {
    rows.push({
      label:
        b.interest.basis === 'ccp-l2192-13'
          ? f.t(
              'Indemnité forfaitaire pour frais de recouvrement (art. L2192-13 du Code de la commande publique)',
              'Fixed recovery indemnity (French Public Procurement Code, art. L2192-13)',
            )
          : f.t(
              'Indemnité forfaitaire pour frais de recouvrement (art. L441-10 et D441-5 du Code de commerce)',
              'Fixed recovery indemnity (French Commercial Code, art. L441-10 and D441-5)',
            ),
      amount: f.money(b.indemnityCents),
    });
  }
  if (b.payments && b.payments.length > 0) {
    for (const p of b.payments) {
      const ref = p.reference ? f.t(` (réf. ${singleLine(p.reference)})`, ` (ref. ${singleLine(p.reference)})`) : '';
      rows.push({ label: f.t(`Paiement reçu le ${f.date(p.paidOn)}${ref}`, `Payment received on ${f.date(p.paidOn)}${ref}`), amount: f.money(-p.amountCents) });
    }
  } else if (b.paidCents > 0) {
    rows.push({ label: f.t('Paiements reçus', 'Payments received'), amount: f.money(-b.paidCents) });
  }
  rows.push({
    label: f.t(`Total restant dû au ${f.date(b.asOf)}`, `Total due as of ${f.date(b.asOf)}`),
    amount: f.money(b.totalDueCents),
    total: true,
  });
  return rows;
}

/** How the interest lines were computed (rate basis, day count), and the provisional warning. */
export function interestNotes(ctx: NoticeContext, language: Language): Block[] {
  const f = fmt(language);
  const b = ctx.breakdown;
  const blocks: Block[] = [];
  if (b.interest.basis === 'ccp-l2192-13') {
    // Code de la commande publique L2192-13 (interest and indemnity as of right), R2192-31 (the rate).
    const rate = b.interest.lines[0] ? f.rate(b.interest.lines[0].ratePercent) : '';
    blocks.push({
      type: 'paragraph',
      text: f.t(
        `Le retard de paiement fait courir de plein droit, sans autre formalité, des intérêts moratoires à compter du jour suivant l’expiration du délai de paiement, ainsi qu’une indemnité forfaitaire pour frais de recouvrement de 40 € (article L2192-13 du Code de la commande publique). Le taux des intérêts moratoires est celui de la Banque centrale européenne en vigueur au premier jour du semestre au cours duquel ils ont commencé à courir, majoré de 8 points${rate ? `, soit ${rate} l’an, applicable à toute la durée du retard` : ''} (article R2192-31 du même code). Calcul : principal × taux × jours de retard / 365.`,
        `Late payment gives rise by law, without any formality, to moratory interest from the day after the payment period expires, and to a fixed recovery indemnity of €40 (article L2192-13 of the French Public Procurement Code). The moratory interest rate is the European Central Bank rate in force on the first day of the half-year in which interest started to run, plus 8 percentage points${rate ? `, that is ${rate} a year, for the whole delay` : ''} (article R2192-31 of the same code). Calculation: principal × rate × days late / 365.`,
      ),
    });
  } else if (b.regime === 'b2b') {
    const contractual = ctx.invoice.contractualPenaltyRate ?? ctx.creditor.contractualPenaltyRate;
    const rate =
      b.interest.basis === 'contractual' && contractual
        ? f.t(`au taux contractuel de ${f.rate(contractual)} l’an`, `at the contractual rate of ${f.rate(contractual)} a year`)
        : f.t(
            'au taux de refinancement de la Banque centrale européenne majoré de 10 points',
            'at the European Central Bank refinancing rate plus 10 percentage points',
          );
    blocks.push({
      type: 'paragraph',
      text: f.t(
        `Les pénalités de retard sont dues de plein droit, sans qu’un rappel soit nécessaire, à compter du jour suivant la date d’échéance (article L441-10 du Code de commerce), ${rate}. L’indemnité forfaitaire de 40 € pour frais de recouvrement est due de plein droit pour chaque facture payée en retard (article D441-5 du Code de commerce). Calcul : principal × taux × jours de retard / 365, chaque jour étant compté au taux du semestre dans lequel il se situe.`,
        `Late-payment penalties are due by law, without any reminder being required, from the day after the due date (article L441-10 of the French Commercial Code), ${rate}. The fixed recovery indemnity of €40 is due by law for each invoice paid late (article D441-5 of the French Commercial Code). Calculation: principal × rate × days late / 365, each day at the rate of the half-year in which it falls.`,
      ),
    });
  } else if (b.interest.lines.length > 0) {
    blocks.push({
      type: 'paragraph',
      text: f.t(
        "Intérêts au taux de l’intérêt légal (articles 1231-6 et 1344-1 du Code civil, article L313-2 du Code monétaire et financier), calculés sur 365 jours.",
        'Interest at the French statutory rate (articles 1231-6 and 1344-1 of the Civil Code, article L313-2 of the Monetary and Financial Code), on a 365-day basis.',
      ),
    });
  }
  const setAside = b.regime === 'b2b' ? b.interest.contractual?.setAside ?? [] : [];
  if (setAside.length > 0) {
    // C. com. L441-10 II: a contractual rate "ne peut être inférieur à trois fois le taux d’intérêt légal".
    const c = b.interest.contractual!;
    const floors = [...new Set(setAside.map((x) => x.floorPercent))].map((x) => f.rate(x)).join(f.t(' puis ', ' then '));
    const legal = [...new Set(setAside.map((x) => x.legalRatePercent))].map((x) => f.rate(x)).join(f.t(' puis ', ' then '));
    const origin =
      c.origin === 'invoice'
        ? f.t('prévu par la facture', 'stated on the invoice')
        : ctx.creditor.agency
          ? f.t(`prévu par les conditions générales de ${creditorName(ctx)}`, `stated in ${creditorName(ctx)}'s terms and conditions`)
          : f.t('prévu par nos conditions générales', 'stated in our terms and conditions');
    blocks.push({
      type: 'paragraph',
      text: f.t(
        `Le taux contractuel de ${f.rate(c.ratePercent)} ${origin} est inférieur au minimum légal de trois fois le taux de l’intérêt légal (${legal}), soit ${floors} : l’article L441-10 II du Code de commerce interdit un taux inférieur, il est donc écarté et remplacé par le taux de refinancement de la Banque centrale européenne majoré de 10 points${c.appliedTo.length > 0 ? ` pour les périodes où il est inférieur à ce minimum` : ''}.`,
        `The contractual rate of ${f.rate(c.ratePercent)} ${origin} is below the legal minimum of three times the statutory interest rate (${legal}), that is ${floors}: article L441-10 II of the French Commercial Code forbids a lower rate, so it is set aside and replaced by the European Central Bank refinancing rate plus 10 percentage points${c.appliedTo.length > 0 ? ' for the periods in which it is below that minimum' : ''}.`,
      ),
    });
  }
  blocks.push(...allocationBlocks(ctx, language));
  if (b.provisional || b.interest.lines.some((l) => l.provisional)) {
    blocks.push({
      type: 'paragraph',
      text: f.t(
        `Montant provisoire : les lignes marquées « ${PROVISIONAL.fr} » appliquent le dernier taux publié connu ; le montant sera ajusté dès la publication du taux du semestre concerné.`,
        `Provisional amount: the lines marked "${PROVISIONAL.en}" apply the last published rate known; the amount will be adjusted once the rate for that half-year is published.`,
      ),
    });
  }
  return blocks;
}

/**
 * How payments will be allocated, on letters that claim accessories (domain/settlement.ts): C. civ.
 * 1343-1 (interest first), or the creditor’s stated waiver (principal first, accessories waived
 * once the principal is paid).
 */
export function allocationBlocks(ctx: NoticeContext, language: Language): Block[] {
  const b = ctx.breakdown;
  if (b.interest.totalCents + b.indemnityCents === 0) return [];
  const t = tr(language);
  const b2b = b.regime === 'b2b';
  if (allocationChoice(ctx.creditor) === 'principal-first') {
    const who = actor(ctx);
    const waivesFr = who.agency ? `${who.fr} renonce` : 'nous renonçons';
    const waivesEn = who.agency ? `${who.en} waives` : 'we waive';
    return [
      {
        type: 'paragraph',
        text: b2b
          ? t(
              `Vos paiements s’imputent d’abord sur le principal ; dès que le principal est intégralement réglé, ${waivesFr} aux pénalités de retard et à l’indemnité forfaitaire pour frais de recouvrement.`,
              `Your payments are allocated to the principal first; as soon as the principal is paid in full, ${waivesEn} the late-payment penalties and the fixed recovery indemnity.`,
            )
          : t(
              `Vos paiements s’imputent d’abord sur le principal ; dès que le principal est intégralement réglé, ${waivesFr} aux intérêts au taux légal.`,
              `Your payments are allocated to the principal first; as soon as the principal is paid in full, ${waivesEn} the interest at the statutory rate.`,
            ),
      },
    ];
  }
  return [
    {
      type: 'paragraph',
      text: b2b
        ? b.interest.basis === 'ccp-l2192-13'
          ? t(
              "Conformément à l’article 1343-1 du Code civil, tout paiement partiel s’impute d’abord sur les intérêts moratoires échus, puis sur l’indemnité forfaitaire, puis sur le principal : le règlement du seul principal ne solde pas votre dette.",
              'Under article 1343-1 of the French Civil Code, any partial payment is allocated first to the moratory interest accrued, then to the fixed recovery indemnity, then to the principal: paying the principal alone does not settle your debt.',
            )
          : t(
            "Conformément à l’article 1343-1 du Code civil, tout paiement partiel s’impute d’abord sur les pénalités de retard échues, puis sur l’indemnité forfaitaire, puis sur le principal : le règlement du seul principal ne solde pas votre dette.",
            'Under article 1343-1 of the French Civil Code, any partial payment is allocated first to the late-payment penalties accrued, then to the fixed recovery indemnity, then to the principal: paying the principal alone does not settle your debt.',
          )
        : t(
            "Conformément à l’article 1343-1 du Code civil, tout paiement partiel s’impute d’abord sur les intérêts échus, puis sur le principal.",
            'Under article 1343-1 of the French Civil Code, any partial payment is allocated first to the interest accrued, then to the principal.',
          ),
    },
  ];
}

/**
 * The consumer mediator (C. conso. L612-1: free for the consumer; L616-1: the professional gives
 * the consumer its name and website when a complaint is not settled), from the creditor profile.
 * Empty for a business debtor or when the profile names none (the checker then refuses a consumer
 * letter that closes a complaint).
 */
export function mediatorBlocks(ctx: NoticeContext, language: Language): Block[] {
  const m = ctx.creditor.consumerMediator;
  if (ctx.debtor.kind !== 'consumer' || !m) return [];
  const t = tr(language);
  const where = `${singleLine(m.name)}, ${singleLine(m.website)}${m.address ? `, ${addressInline(m.address, language)}` : ''}`;
  return [
    { type: 'heading', text: t('Médiation de la consommation', 'Consumer mediation') },
    {
      type: 'paragraph',
      text: t(
        `Si cette réponse ne vous satisfait pas, vous pouvez recourir gratuitement au médiateur de la consommation dont ${creditorName(ctx)} relève (articles L612-1 et L616-1 du Code de la consommation) : ${where}.`,
        `If this answer does not satisfy you, you may refer the matter free of charge to the consumer mediator ${creditorName(ctx)} adheres to (articles L612-1 and L616-1 of the French Consumer Code): ${where}.`,
      ),
    },
  ];
}

/**
 * Bank details (IBAN/BIC), payment reference, optional https payment link: one group, which the PDF
 * never splits across two pages (a debtor copying an IBAN must find it whole).
 */
export function paymentBlocks(ctx: NoticeContext, language: Language, heading = true): Block[] {
  return [{ type: 'group', blocks: paymentDetails(ctx, language, heading) }];
}

function paymentDetails(ctx: NoticeContext, language: Language, heading: boolean): Block[] {
  const f = fmt(language);
  const blocks: Block[] = [];
  if (heading) blocks.push({ type: 'heading', text: f.t('Modalités de paiement', 'How to pay') });
  blocks.push({
    type: 'fields',
    rows: [
      { label: f.t('Virement au bénéficiaire', 'Bank transfer to'), value: creditorName(ctx) },
      { label: 'IBAN', value: formatIban(ctx.creditor.iban) },
      { label: 'BIC', value: singleLine(ctx.creditor.bic).toUpperCase() },
      { label: f.t('Référence à indiquer', 'Payment reference'), value: invoiceNumber(ctx) },
    ],
  });
  if (isSafeHttpsUrl(ctx.creditor.paymentLink)) {
    blocks.push({ type: 'link', label: f.t('Paiement en ligne :', 'Pay online:'), url: ctx.creditor.paymentLink });
  }
  return blocks;
}

export function contactParagraph(ctx: NoticeContext, language: Language): Block {
  const t = tr(language);
  const c = ctx.creditor.contact;
  // No-break spaces keep a phone number on one line.
  const tel = c.phone ? singleLine(c.phone).replace(/ /g, '\u00a0') : '';
  const phone = tel ? t(`, tél. ${tel}`, `, tel. ${tel}`) : '';
  const who = `${singleLine(c.name)} (${singleLine(c.email)}${phone})`;
  return {
    type: 'paragraph',
    text: t(`Pour toute question, votre interlocuteur est ${who}.`, `If you have any questions, please contact ${who}.`),
  };
}

export function signature(ctx: NoticeContext, language: Language): string[] {
  const lines = [singleLine(ctx.creditor.contact.name)];
  if (ctx.creditor.agency) {
    lines.push(singleLine(ctx.creditor.agency.legalName));
    lines.push(tr(language)(`pour le compte de ${creditorName(ctx)}`, `on behalf of ${creditorName(ctx)}`));
  } else {
    lines.push(creditorName(ctx));
  }
  return lines.filter((l) => l);
}

/** Sender block of a formal letter: the creditor, or the agency acting for it. */
export function senderLines(ctx: NoticeContext, language: Language): string[] {
  const t = tr(language);
  const a = ctx.creditor.agency;
  if (a) {
    return [
      singleLine(a.legalName),
      ...addressLines(a.address, language),
      ...(a.siren ? [`SIREN ${formatSiren(a.siren)}`] : []),
      t(`Recouvrement amiable pour le compte de ${creditorName(ctx)}`, `Amicable collection on behalf of ${creditorName(ctx)}`),
      singleLine(ctx.creditor.contact.email),
    ];
  }
  return [
    creditorName(ctx),
    ...addressLines(ctx.creditor.address, language),
    `SIREN ${formatSiren(ctx.creditor.siren)}`,
    singleLine(ctx.creditor.contact.email),
  ];
}

export function recipientLines(ctx: NoticeContext, language: Language): string[] {
  return [
    debtorName(ctx),
    ...addressLines(ctx.debtor.address, language),
    ...(ctx.debtor.siren ? [`SIREN ${formatSiren(ctx.debtor.siren)}`] : []),
  ];
}

/** The creditor’s identity as a field block (agency letters, hand-off). */
export function creditorIdentity(ctx: NoticeContext, language: Language): Field {
  const t = tr(language);
  return {
    label: t('Créancier', 'Creditor'),
    value: `${creditorName(ctx)}, ${addressInline(ctx.creditor.address, language)}, SIREN ${formatSiren(ctx.creditor.siren)}`,
  };
}

/**
 * R124-4 CPCE, first letter of a collection agency: who the agency is and that it does amicable
 * collection, for which creditor.
 */
export function agencyIdentityBlocks(ctx: NoticeContext, language: Language): Block[] {
  const a = ctx.creditor.agency;
  if (!a) return [];
  const t = tr(language);
  const agencyName = singleLine(a.legalName);
  return [
    {
      type: 'paragraph',
      text: t(
        `${agencyName} ${AGENCY_ACTIVITY.fr}. Nous intervenons pour le compte de ${creditorName(ctx)}, votre créancier, qui nous a confié le recouvrement amiable de la créance décrite ci-dessous.`,
        `${agencyName} ${AGENCY_ACTIVITY.en}. We act on behalf of ${creditorName(ctx)}, your creditor, who has entrusted us with the amicable collection of the debt described below.`,
      ),
    },
    {
      type: 'fields',
      rows: [
        {
          label: t('Société de recouvrement', 'Collection agency'),
          value: `${agencyName}, ${addressInline(a.address, language)}${a.siren ? `, SIREN ${formatSiren(a.siren)}` : ''}`,
        },
        creditorIdentity(ctx, language),
      ],
    },
  ];
}

/** L111-8 CPCE: the statement that no collection fee is claimed, then the text of paragraphs 2-3. */
export function agencyFeesBlocks(ctx: NoticeContext, language: Language): Block[] {
  if (!ctx.creditor.agency) return [];
  const t = tr(language);
  const indemnity =
    ctx.breakdown.regime === 'b2b' && ctx.breakdown.indemnityCents > 0
      ? t(
          " L’indemnité forfaitaire de 40 € mentionnée ci-dessus est une somme fixée par la loi (article D441-5 du Code de commerce), due au créancier ; elle ne rémunère pas notre intervention.",
          ' The fixed €40 indemnity shown above is a sum set by law (article D441-5 of the French Commercial Code), owed to the creditor; it does not pay for our services.',
        )
      : '';
  const blocks: Block[] = [
    {
      type: 'paragraph',
      text: t(
        `${NO_COLLECTION_FEES.fr} : conformément à l’article L111-8 du Code des procédures civiles d’exécution, reproduit ci-dessous, ils restent à la charge du créancier.${indemnity}`,
        `${NO_COLLECTION_FEES.en}: under article L111-8 of the French Code of Civil Enforcement Procedures, reproduced below, they remain payable by the creditor.${indemnity}`,
      ),
    },
    { type: 'quote', title: L111_8_TITLE[language], paragraphs: [...L111_8_PARAGRAPHS_2_3_FR] },
  ];
  if (language === 'en') {
    blocks.push({
      type: 'quote',
      title: 'Unofficial English translation (the French text above prevails)',
      paragraphs: [...L111_8_PARAGRAPHS_2_3_EN],
    });
  }
  return blocks;
}

/** Later agency letters repeat the first letter’s reference and date (R124-4 CPCE). */
export function agencyFollowUpBlocks(ctx: NoticeContext, language: Language): Block[] {
  const a = ctx.creditor.agency;
  if (!a || ctx.kind === 'first_reminder') return [];
  const f = fmt(language);
  const first = ctx.agencyFirstLetter;
  const ref = first
    ? f.t(
        ` Ce courrier fait suite à notre premier courrier référence ${singleLine(first.reference)} du ${f.date(first.date)}.`,
        ` This letter follows our first letter reference ${singleLine(first.reference)} of ${f.date(first.date)}.`,
      )
    : '';
  return [
    {
      type: 'paragraph',
      text:
        f.t(
          `${singleLine(a.legalName)}, société de recouvrement amiable, vous écrit pour le compte de ${creditorName(ctx)}.`,
          `${singleLine(a.legalName)}, an amicable debt collection agency, is writing to you on behalf of ${creditorName(ctx)}.`,
        ) + ref,
    },
  ];
}

/**
 * The frame every courteous letter to the debtor shares, so a template writes only what is its
 * own: the subject (with the dossier's suffix), the references and greeting, the agency's
 * follow-up mention first (R124-4 CPCE; none on the agency's first letter), the body, the contact
 * paragraph last, the closing and the signature.
 */
export function courteousLetter(ctx: NoticeContext, subject: string, body: Block[]): NoticeDraft {
  const lang = ctx.language;
  return {
    to: 'debtor',
    subject: subject + subjectSuffix(ctx, lang),
    letter: {
      language: lang,
      references: references(ctx, lang),
      greeting: greeting(lang, ctx),
      blocks: [...agencyFollowUpBlocks(ctx, lang), ...body, contactParagraph(ctx, lang)],
      closing: closing(lang, false),
      signature: signature(ctx, lang),
    },
  };
}
