#!/usr/bin/env node
/** The `yiyun` command. */
import { CommanderError } from 'commander';
import { buildProgram } from './program.ts';

const program = buildProgram();
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode === 1 ? 2 : err.exitCode);
  throw err;
}
