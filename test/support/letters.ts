/** Helpers for the end-to-end letter tests: a creditor of one's own, the mails of one invoice, their PDF. */
import { putApiKey, putCreditor } from '../../lambdas/adapters/dossier-store';
import type { CreditorProfile } from '../../lambdas/domain/model';
import { DEMO_PROFILE_PATH, loadCreditorProfile } from '../../local/creditor-profile';
import type { client } from './local-client';
import { flat, pdfText } from './pdf-text';

type Api = ReturnType<typeof client>;

/** Stores a creditor (the demo profile with `overrides`) and its API key; returns an API bound to it. */
export async function creditorApi(api: Api, id: string, overrides: Partial<CreditorProfile> = {}) {
  const profile = loadCreditorProfile(DEMO_PROFILE_PATH);
  await putCreditor({ ...profile, id, ...overrides } as CreditorProfile);
  const key = `amk_${id.replace(/-/g, '_')}_key`;
  await putApiKey(key, id);
  const h = { 'x-api-key': key };
  return {
    createInvoice: (body: unknown) => api.call('POST', '/invoices', body, h),
    getInvoice: (id: string) => api.call('GET', `/invoices/${id}`, undefined, h),
    pay: (id: string, body: unknown) => api.call('POST', `/invoices/${id}/payments`, body, h),
    post: (path: string, body: unknown) => api.call('POST', path, body, h),
    get: (path: string) => api.call('GET', path, undefined, h),
  };
}

/** The e-mails of one invoice, in sending order (subjects name the invoice number). */
export async function mailsOf(api: Api, invoiceNumber: string): Promise<any[]> {
  return (await api.emails()).filter((m: any) => String(m.subject).includes(invoiceNumber));
}

/** The text of a mail's PDF attachment, whitespace flattened. */
export async function pdfOf(mail: any): Promise<{ text: string; pageTexts: string[]; bytes: Uint8Array }> {
  const pdf = (mail.attachments ?? []).find((a: any) => a.contentType === 'application/pdf');
  if (!pdf) throw new Error(`no PDF attached to "${mail.subject}"`);
  const bytes = new Uint8Array(Buffer.from(pdf.content, 'base64'));
  const t = await pdfText(bytes);
  return { text: flat(t.text), pageTexts: t.pageTexts.map(flat), bytes };
}

export { flat };
