/**
 * timeline.html of an evidence bundle: every record of the dossier's evidence log, in order, with
 * its date (Europe/Paris), what happened in plain French, and a link to its file inside the bundle.
 * Self-contained (inline CSS, no script, no remote resource) so it opens from an unzipped folder
 * years from now; every value from the dossier is escaped.
 */
import { isoMillis, PARIS, parisDayAndTime } from '../domain/dates';
import type { ChainHead, EvidenceRecord } from '../domain/evidence-chain';
import { escapeHtml } from './escape';

const STAGE_LABELS: Record<string, string> = {
  first_reminder: 'Relance amiable envoyée au débiteur',
  formal_reminder: 'Relance formelle envoyée au débiteur',
  formal_notice: 'Mise en demeure envoyée au débiteur',
  litigation_handoff: 'Dossier transmis au contentieux',
};

const MESSAGE_LABELS: Record<string, string> = {
  payment_receipt: 'Reçu de paiement envoyé au débiteur',
  promise_confirmation: 'Confirmation de la promesse de paiement envoyée',
  payment_plan_confirmation: "Confirmation de l'échéancier envoyée",
  instalment_reminder: "Rappel d'échéance envoyé",
  dispute_acknowledgment: 'Accusé de réception de la contestation envoyé',
  litigation_payment_update: 'Paiement signalé au conseil chargé du contentieux',
  litigation_insolvency_notice: 'Procédure collective signalée au conseil chargé du contentieux',
};

const LABELS: Record<string, string> = {
  created: 'Facture reçue du créancier (telle que transmise)',
  payment_recorded: 'Paiement reçu',
  paid: 'Créance entièrement réglée',
  cancelled: 'Dossier annulé',
  dispute_opened: 'Contestation ouverte par le débiteur',
  dispute_rejected: 'Contestation rejetée',
  dispute_upheld: 'Contestation reconnue fondée',
  promise_recorded: 'Promesse de paiement enregistrée',
  promise_kept: 'Promesse de paiement tenue',
  promise_superseded: 'Promesse de paiement remplacée',
  promise_broken: 'Promesse de paiement non tenue',
  payment_plan_agreed: 'Échéancier convenu',
  payment_plan_broken: 'Échéancier rompu',
  payment_plan_completed: 'Échéancier mené à son terme',
  debt_acknowledged: 'Reconnaissance de dette (C. civ. art. 2240)',
  call_logged: 'Appel téléphonique consigné',
  email_delivered: 'E-mail remis au serveur du destinataire',
  email_bounced: 'E-mail refusé par le serveur du destinataire',
  email_complained: 'E-mail signalé comme indésirable par le destinataire',
  email_rejected: "E-mail refusé par le service d'envoi",
  email_delayed: "Remise de l'e-mail retardée",
  needs_attention: 'Dossier signalé pour examen',
  escalation_resumed: 'Relances reprises',
  stage_reopened: 'Étape rouverte',
  handed_off: 'Phase amiable close : dossier remis au contentieux',
  accountant_alert: 'Alerte adressée au service comptable',
  debtor_email_changed: 'Adresse e-mail du débiteur corrigée',
  email_pause_lifted: 'Envois au débiteur rétablis',
  message_failed: "Message non envoyé (échec d'envoi)",
  evidence_bundle_issued: 'Lot de preuves délivré',
  litigation_dossier_stored: 'Dossier contentieux établi et conservé',
  handoff_awaiting_approval: 'Transmission au contentieux en attente de validation',
  handoff_approved: 'Transmission au contentieux validée',
  handoff_event_published: 'Transmission annoncée aux systèmes du créancier',
  insolvency_opened: 'Procédure collective ouverte contre le débiteur : recouvrement arrêté',
  insolvency_claim_drafted: 'Projet de déclaration de créance établi',
};

/** "Mise en demeure envoyée au débiteur", "Paiement reçu"... for one record. */
export function describeRecord(r: Pick<EvidenceRecord, 'type' | 'fact'>): string {
  const f = r.fact;
  if (r.type === 'notice_sent' && typeof f.stage === 'string') return STAGE_LABELS[f.stage] ?? `Message envoyé (${f.stage})`;
  if (r.type === 'message_sent' && typeof f.kind === 'string') return MESSAGE_LABELS[f.kind] ?? `Message envoyé (${f.kind})`;
  return LABELS[r.type] ?? r.type;
}

/** The few facts worth reading at a glance (amount, reference, recipient, reason...). */
function details(r: EvidenceRecord): string[] {
  const f = r.fact as Record<string, unknown>;
  const out: string[] = [];
  const add = (label: string, key: string) => {
    const v = f[key];
    if (v !== undefined && v !== null && v !== '') out.push(`${label} : ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  };
  add('Facture', 'invoiceNumber');
  add('Montant', 'amount');
  add('Payé le', 'paidOn');
  add('Référence', 'reference');
  add('Solde', 'balance');
  add('Destinataire', 'to');
  add('Destinataire', 'recipient');
  add('Motif', 'reason');
  add('Issue', 'outcome');
  add('Notes', 'notes');
  add('Identifiant du message', 'messageId');
  add('Lot', 'bundleId');
  return out;
}

/** "07/04/2026 à 14h05", Paris time (a time without offset is Paris's); text that is no instant as is. */
const when = (at: string) => {
  const ms = isoMillis(at, PARIS);
  return Number.isNaN(ms) ? at : parisDayAndTime(ms, ' à ', 'h');
};

export interface TimelineInput {
  dossier: { id: string; invoiceNumber: string; debtorName: string };
  creditor: { legalName: string };
  generatedAt: string;
  head: ChainHead;
  records: { file: string; record: EvidenceRecord }[];
}

export function renderTimeline(t: TimelineInput): string {
  const rows = t.records
    .map(({ file, record: r }) => {
      const lines = details(r).map((d) => `<div class="d">${escapeHtml(d)}</div>`).join('');
      return `<tr><td class="n">${r.seq}</td><td class="w">${escapeHtml(when(r.at))}</td><td><strong>${escapeHtml(describeRecord(r))}</strong>${lines}</td><td><a href="${escapeHtml(encodeURI(file))}">${escapeHtml(file.split('/').pop() ?? file)}</a><div class="h">sha256 ${escapeHtml(r.sha256)}</div></td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Chronologie du dossier ${escapeHtml(t.dossier.invoiceNumber)}</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4em;vertical-align:top;text-align:left}.n{color:#888}.w{white-space:nowrap}.d{color:#444;font-size:13px}.h{color:#888;font:11px monospace;word-break:break-all}code{font-size:12px;word-break:break-all}</style></head>
<body>
<h1>Chronologie du dossier — facture ${escapeHtml(t.dossier.invoiceNumber)}</h1>
<p>Créancier : ${escapeHtml(t.creditor.legalName)}<br>Débiteur : ${escapeHtml(t.dossier.debtorName)}<br>Dossier : <code>${escapeHtml(t.dossier.id)}</code><br>Lot établi le ${escapeHtml(when(t.generatedAt))} (heure de Paris)</p>
<p>${t.records.length} pièces, chaînées par empreinte SHA-256. Dernière empreinte de la chaîne (pièce ${t.head.seq}) : <code>${escapeHtml(t.head.hash)}</code>. Cette page est une lecture du fichier manifest.json ; la vérification porte sur celui-ci et sur les fichiers (voir VERIFY.txt).</p>
<table><thead><tr><th>N°</th><th>Date</th><th>Ce qui s'est passé</th><th>Pièce</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</body></html>
`;
}
