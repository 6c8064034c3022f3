// The `torch-node` command: subcommands by name.
import { doctor } from './doctor';

const USAGE = `usage: torch-node <command> [options]

commands:
  doctor    show the LibTorch, addon, CUDA devices and threads in use, and how to fix what is wrong`;

/** Runs the CLI with `argv` (without node and the script); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  switch (command) {
    case 'doctor':
      return doctor() === 0 ? 0 : 1;
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    default:
      console.error(`torch-node: unknown command '${command}'\n\n${USAGE}`);
      return 2;
  }
}
