/**
 * A Step Functions endpoint on loopback speaking the AWS JSON 1.0 protocol (the one @aws-sdk/client-sfn
 * uses), so handlers call StartExecution/StopExecution through the real SDK and never know they
 * are local. Only the calls Amiable makes are implemented.
 */
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { ExecutionAlreadyExistsError, ExecutionDoesNotExistError, LocalStepFunctions } from './local-step-functions';
import { keepIdleConnections } from '../loopback';
import { serveInProcess } from '../in-process';

const epoch = (iso?: string) => (iso ? Date.parse(iso) / 1000 : undefined);

export async function startSfnEndpoint(engine: LocalStepFunctions, stateMachineArn: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = keepIdleConnections(http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const reply = (status: number, body: unknown, errorType?: string) => {
        const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.0' };
        if (errorType) headers['x-amzn-errortype'] = errorType;
        res.writeHead(status, headers).end(JSON.stringify(body));
      };
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        const op = target.replace(/^AWSStepFunctions\./, '');
        if (op === 'StartExecution') {
          if (body.stateMachineArn !== stateMachineArn) {
            return reply(400, { __type: 'StateMachineDoesNotExist', message: `State Machine Does Not Exist: '${body.stateMachineArn}'` }, 'StateMachineDoesNotExist');
          }
          const r = engine.start(body.name, JSON.parse(body.input ?? '{}'));
          return reply(200, { executionArn: r.arn, startDate: epoch(r.startDate) });
        }
        if (op === 'StopExecution') {
          const r = engine.stop(body.executionArn, body.error, body.cause);
          return reply(200, { stopDate: epoch(r.stopDate) ?? Date.now() / 1000 });
        }
        if (op === 'DescribeExecution') {
          const r = engine.describe(body.executionArn);
          return reply(200, {
            executionArn: r.arn,
            stateMachineArn,
            name: r.name,
            status: r.status,
            startDate: epoch(r.startDate),
            stopDate: epoch(r.stopDate),
            input: JSON.stringify(r.input),
            output: r.output === undefined ? undefined : JSON.stringify(r.output),
            error: r.error,
            cause: r.cause,
          });
        }
        return reply(400, { __type: 'UnknownOperationException', message: `not supported locally: ${op}` }, 'UnknownOperationException');
      } catch (e) {
        if (e instanceof ExecutionAlreadyExistsError) return reply(400, { __type: e.code, message: e.message }, e.code);
        if (e instanceof ExecutionDoesNotExistError) return reply(400, { __type: e.code, message: e.message }, e.code);
        return reply(400, { __type: 'InvalidParameterValue', message: String((e as Error).message) }, 'InvalidParameterValue');
      }
    });
  }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  serveInProcess(server);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
