#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { buildApp } from '../lib/app';

// A settings mistake (unsafe production lock, missing sender domain...) is a message, not a stack trace.
try {
  buildApp(new App());
} catch (e) {
  console.error(`amiable: ${(e as Error).message}`);
  process.exit(1);
}
