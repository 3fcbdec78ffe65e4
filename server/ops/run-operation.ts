/**
 * The shape both operators' scripts share (`npm run backup|restore -- <file>`): exactly one file
 * argument, and a refusal or a bad setting ends as one sentence on stderr with exit code 1, while
 * anything unforeseen still crashes with its stack.
 */
import { ConfigError } from '../config.ts';
import { OperationRefused } from './sqlite-files.ts';

export async function runOperation(name: string, usage: string, operate: (file: string) => void | Promise<void>): Promise<void> {
  try {
    const [file, ...rest] = process.argv.slice(2);
    if (!file || rest.length) throw new OperationRefused(`usage: ${usage}`);
    await operate(file);
  } catch (error) {
    if (!(error instanceof OperationRefused || error instanceof ConfigError)) throw error;
    console.error(`countersign ${name}: ${error.message}`);
    process.exit(1);
  }
}
