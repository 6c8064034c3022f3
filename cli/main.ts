// The `torch-node` command: subcommands by name. Mistakes in the command line or its inputs print a message
// (no stack trace) and exit with code 2.
import { doctor } from './doctor';
import { UsageError } from './errors';

const USAGE = `usage: torch-node <command> [options]

commands:
  finetune  [--data DIR] [--val DIR | --val-split 0.2] [--model resnet18] [--weights DEFAULT|none|PATH]
            [--freeze head-only|none|until:LAYER] [--epochs N] [--batch-size 32] [--lr LR]
            [--optimizer sgd|adamw] [--scheduler none|cosine|step] [--image-size N] [--augment]
            [--device auto|cpu|cuda] [--amp] [--workers N] [--seed N] [--out DIR] [--resume]
            fine-tune a torchvision model on a folder of images (one sub-folder per class); without
            --data, on a small Fashion-MNIST ImageFolder made from Debian's dataset-fashion-mnist
  predict   --model OUT_DIR [--topk 3] IMAGE...   the most likely classes of each image
  evaluate  --model OUT_DIR --data DIR            accuracy, precision/recall per class, confusion matrix
  run       [--nproc-per-node N] [--nnodes M --node-rank R] [--master-addr A] [--master-port P] SCRIPT [ARGS]
            start the ranks of a torch.distributed job (torchrun's environment variables)
  doctor    show the LibTorch, addon, CUDA devices and threads in use, and how to fix what is wrong`;

/** Runs the CLI with `argv` (without node and the script); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'finetune':
        return await (await import('./finetune')).finetune(rest);
      case 'predict':
        return await (await import('./predict')).predict(rest);
      case 'evaluate':
        return await (await import('./predict')).evaluate(rest);
      case 'run':
        return await (await import('./run')).run(rest);
      case 'doctor':
        return doctor() === 0 ? 0 : 1;
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        console.log(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}'\n\n${USAGE}`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`torch-node: ${err.message}`);
      return 2;
    }
    throw err;
  }
}
