/** Test helpers for the admin API and for creditors provisioned through it. */
import * as fs from 'node:fs';
import type { LocalSystem } from '../../local/system';
import { DEMO_PROFILE_PATH } from '../../local/creditor-profile';
import type { Reply } from './local-client';

/** A valid creditor profile (the demo creditor's), with another id; override any field. */
export function creditorProfile(overrides: Record<string, any> = {}): Record<string, any> {
  const demo = JSON.parse(fs.readFileSync(DEMO_PROFILE_PATH, 'utf8'));
  const { policyName: _p, ...rest } = demo;
  return { ...rest, id: 'second-creditor', legalName: 'Second Atelier SARL', ...overrides };
}

export function adminClient(sys: LocalSystem) {
  async function call<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
    const res = await fetch(sys.apiUrl + path, {
      method,
      headers: { 'content-type': 'application/json', 'x-admin-key': sys.adminKey, ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }
  return { call };
}

/** Calls the creditor API with a given key. */
export function keyClient(sys: LocalSystem, key: string) {
  return async function call<T = any>(method: string, path: string, body?: unknown): Promise<Reply<T>> {
    // Bytes are a file (POST /invoices/import): sent as they are, as a PDF or XML by their first byte.
    const file = body instanceof Uint8Array;
    const res = await fetch(sys.apiUrl + path, {
      method,
      headers: { 'content-type': file ? (body[0] === 0x25 ? 'application/pdf' : 'application/xml') : 'application/json', 'x-api-key': key },
      body: body === undefined ? undefined : file ? body : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
}
