/**
 * The loopback HTTP servers of local mode (the emulators and the layers in front of them) keep
 * idle keep-alive connections open. Node closes one after 5 s idle by default (keepAliveTimeout),
 * the same delay after which its clients' keep-alive agents drop theirs: a client reusing a
 * socket the server is closing at that moment gets ECONNRESET or "socket hang up". Under load that
 * happened hundreds of times a run, in the middle of DynamoDB writes the stream layer forwards (a
 * write applied, then answered 500, then retried as a conditional write that now fails). With the
 * server never timing idle sockets out, only clients close them, so the race is gone; every server
 * here closes all its connections when it stops.
 */
import type * as http from 'node:http';

export function keepIdleConnections<T extends http.Server>(server: T): T {
  server.keepAliveTimeout = 0;
  return server;
}
