import { describe, expect, it } from 'vitest';
import { apiBase } from '../../cli/admin-client';

describe('the CLI endpoint', () => {
  it('accepts the API URL or the stack’s AdminEndpoint output (API URL + /admin) and reaches the same routes', () => {
    const aws = 'https://abc123.execute-api.eu-west-3.amazonaws.com/v1';
    for (const endpoint of [aws, `${aws}/`, `${aws}/admin`, `${aws}/admin/`]) {
      expect(new URL('admin/creditors', apiBase(endpoint)).href).toBe(`${aws}/admin/creditors`);
    }
    expect(new URL('admin/creditors', apiBase('http://127.0.0.1:3000')).href).toBe('http://127.0.0.1:3000/admin/creditors');
    expect(() => apiBase('not a url')).toThrow(/--endpoint is not a URL/);
  });
});
