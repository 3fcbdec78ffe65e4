/**
 * MCP_STDIO_COMMANDS: the programs stdio servers may run. A command counts by the program it
 * starts, not by how it is written: `bun`, `./node_modules/.bin/bun` and the absolute path of the
 * same file are one program, and `bun` found first on a PATH the entry sets itself is another.
 * The path checked is the path run, so nothing can swap the program in between.
 */
import { realpathSync } from 'node:fs';
import { BoundaryError } from './boundary-error.ts';

/** The real file a command starts, looked up on `path` as the child would; undefined when there is none. */
function programOf(command: string, path: string | undefined): string | undefined {
  const found = Bun.which(command, { PATH: path ?? '' });
  return found ? realpathSync(found) : undefined;
}

/**
 * The program to spawn for a stdio entry: the command unchanged when no list is set, otherwise its
 * real path, if the list allows it. Throws BoundaryError naming the setting.
 */
export function allowedStdioCommand(command: string, entryEnv: Record<string, string>, allowed: readonly string[] | undefined): string {
  if (!allowed) return command;
  const program = programOf(command, entryEnv.PATH ?? process.env.PATH);
  const advice = `it allows only ${allowed.join(', ')}, so use one of those or ask the operator to add yours`;
  if (!program)
    throw new BoundaryError('command', `${command} is not a program on this server, so MCP_STDIO_COMMANDS cannot allow it`, advice);
  if (!allowed.some((name) => programOf(name, process.env.PATH) === program)) {
    const shown = program === command ? command : `${command} (${program})`;
    throw new BoundaryError('command', `${shown} is not a program MCP_STDIO_COMMANDS allows`, advice);
  }
  return program;
}
