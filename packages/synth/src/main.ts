/** Stand-alone entry for development: `node packages/synth/src/main.ts synth --residents 2000 --out /tmp/x`. */
import { Command } from 'commander';
import { exitCodeFor, synthCommand } from './cli/synth-command.ts';

const program = new Command('yiyun-synth').exitOverride().addCommand(synthCommand());
try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = exitCodeFor(err);
}
