import { synthCommand } from '@yiyun/synth';
import { Command } from 'commander';
import { auditCommand } from './commands/audit.ts';
import { imagingCommand } from './commands/imaging.ts';
import { importCommand } from './commands/import.ts';
import { mpiCommand } from './commands/mpi.ts';
import { serveCommand } from './commands/serve.ts';

/** Usage errors (unknown flags, bad values) exit with code 2, like other Unix tools. */
export function buildProgram(): Command {
  const program = new Command('yiyun')
    .description('Yiyun (医云) regional health cloud')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  program.addCommand(serveCommand());
  program.addCommand(synthCommand());
  program.addCommand(importCommand());
  program.addCommand(auditCommand());
  program.addCommand(mpiCommand());
  program.addCommand(imagingCommand());
  for (const command of program.commands) command.exitOverride().showHelpAfterError();
  return program;
}
