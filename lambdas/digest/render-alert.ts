/**
 * An immediate alert to the accountants (hard bounce, complaint, dossier needing attention,
 * dispute opened), French or English, HTML and text, with the notices' escaping rules.
 */
import type { AlertCandidate } from '../domain/accountant-alerts';
import type { Dossier } from '../domain/dossier';
import { hhmm, isoMillis, PARIS, zonedTime } from '../domain/dates';
import { balanceCents } from '../domain/dossier';
import type { CreditorProfile, Language } from '../domain/model';
import { formatMoney } from '../domain/money';
import { escapeHtml as e, singleLine } from '../notices/escape';
import { formatDate } from '../notices/format';
import { label, STATUS_LABELS } from './wording';

const TITLES: Record<AlertCandidate['kind'], Record<Language, string>> = {
  hard_bounce: { fr: "Adresse e-mail du débiteur en échec définitif", en: "Debtor's e-mail address bounced (hard bounce)" },
  complaint: { fr: 'Le débiteur a signalé un e-mail comme spam', en: 'The debtor reported an e-mail as spam' },
  needs_attention: { fr: 'Dossier à traiter', en: 'Dossier needs attention' },
  dispute_opened: { fr: 'Litige ouvert par le débiteur', en: 'Dispute opened by the debtor' },
};

const TODO: Record<AlertCandidate['kind'], Record<Language, string>> = {
  hard_bounce: {
    fr: "Les e-mails automatiques à ce débiteur sont suspendus. Donnez une adresse corrigée pour reprendre : POST /invoices/{id}/resume avec { \"debtorEmail\": \"…\" }.",
    en: 'Automatic e-mail to this debtor is paused. Give a corrected address to resume: POST /invoices/{id}/resume with { "debtorEmail": "…" }.',
  },
  complaint: {
    fr: 'Les e-mails automatiques à ce débiteur sont suspendus. Contactez-le avant de reprendre : POST /invoices/{id}/resume.',
    en: 'Automatic e-mail to this debtor is paused. Contact the debtor before resuming: POST /invoices/{id}/resume.',
  },
  needs_attention: {
    fr: 'La relance est arrêtée. Une fois le problème réglé : POST /invoices/{id}/resume.',
    en: 'Escalation has stopped. Once the problem is solved: POST /invoices/{id}/resume.',
  },
  dispute_opened: {
    fr: 'La relance est suspendue. Tranchez le litige : POST /invoices/{id}/disputes/{disputeId}/resolve avec { "outcome": "rejected" | "upheld" }.',
    en: 'Escalation is paused. Resolve the dispute: POST /invoices/{id}/disputes/{disputeId}/resolve with { "outcome": "rejected" | "upheld" }.',
  },
};

const L = {
  invoice: { fr: 'Facture', en: 'Invoice' },
  debtor: { fr: 'Débiteur', en: 'Debtor' },
  balance: { fr: 'Solde', en: 'Balance' },
  status: { fr: 'Statut', en: 'Status' },
  when: { fr: 'Quand', en: 'When' },
  recipient: { fr: 'Adresse', en: 'Address' },
  reason: { fr: 'Motif', en: 'Reason' },
  dossier: { fr: 'Dossier', en: 'Dossier' },
  todo: { fr: 'À faire', en: 'What to do' },
  footer: {
    fr: 'Alerte immédiate envoyée par Amiable pour {creditor} (au plus {max} par heure ; les suivantes passent dans le point du matin). Conservée dans le coffre de preuves.',
    en: 'Immediate alert sent by Amiable for {creditor} (at most {max} an hour; further ones go into the morning digest). Kept in the evidence vault.',
  },
};

export interface RenderedAlert {
  subject: string;
  text: string;
  html: string;
}

export function renderAlert(alert: AlertCandidate, d: Dossier, creditor: CreditorProfile, language: Language, maxPerHour: number): RenderedAlert {
  const l = language;
  const at = zonedTime(isoMillis(alert.at, 'UTC'), PARIS);
  const when = `${formatDate(at.date, l)} ${l === 'fr' ? 'à' : 'at'} ${hhmm(at)}`;
  const title = TITLES[alert.kind][l];
  const subject = singleLine(`[Amiable] ${title} — ${d.invoice.invoiceNumber} — ${d.debtor.name}`);
  const rows: [string, string][] = [
    [L.invoice[l], d.invoice.invoiceNumber],
    [L.debtor[l], d.debtor.name],
    [L.balance[l], formatMoney(balanceCents(d), l)],
    [L.status[l], label(STATUS_LABELS, d.status, l)],
    [L.when[l], when],
    ...(alert.recipient ? ([[L.recipient[l], alert.recipient]] as [string, string][]) : []),
    ...(alert.reason ? ([[L.reason[l], alert.reason]] as [string, string][]) : []),
    [L.dossier[l], d.id],
  ];
  const todo = TODO[alert.kind][l].replace('{id}', d.id).replace('{disputeId}', alert.disputeId ?? '{disputeId}');
  const footer = L.footer[l].replace('{creditor}', singleLine(creditor.legalName)).replace('{max}', String(maxPerHour));
  const colon = l === 'fr' ? '\u00a0: ' : ': ';
  const text = [title, '', ...rows.map(([k, v]) => `${k}${colon}${singleLine(v)}`), '', `${L.todo[l]}${colon}${todo}`, '', footer, ''].join('\n');
  const html = [
    '<!DOCTYPE html>',
    `<html lang="${l}">`,
    `<head><meta charset="utf-8"><title>${e(subject)}</title></head>`,
    '<body style="margin:0 auto;padding:16px;max-width:640px;font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5;color:#1f2328">',
    `<h1 style="font-size:18px;color:#8e1b1b">${e(title)}</h1>`,
    '<table role="presentation" style="border-collapse:collapse">' +
      rows.map(([k, v]) => `<tr><td style="padding:3px 12px 3px 0;color:#57606a;vertical-align:top">${e(k)}</td><td style="padding:3px 0">${e(singleLine(v))}</td></tr>`).join('') +
      '</table>',
    `<p><strong>${e(L.todo[l])}</strong>${e(colon)}${e(todo)}</p>`,
    `<p style="color:#57606a;font-size:12px;border-top:1px solid #d0d7de;padding-top:8px">${e(footer)}</p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
  return { subject, text, html };
}
