/**
 * `twist passwd USER [--password PW]`: prints `USER:$scrypt$…`, a line for a `FilePasswordDB`
 * file (`--auth file:PATH`). Without `--password`, the password is read from standard input (the
 * first line; a trailing newline is dropped), so it stays out of shell history and `ps`.
 *
 * @example
 * ```sh
 * printf 'secret\n' | twist passwd alice >> users.passwd
 * ```
 * @module
 */
import { hashPassword } from '../../cred/password-hash.js';
import { type OptionsSchema, UsageError } from '../options.js';
import type { ICommandMaker } from '../service-maker.js';

const schema = {
  options: {
    password: {
      type: 'string',
      description: 'The password (default: read the first line of standard input).',
    },
  },
  positionals: [{ name: 'user', description: 'The username (no ":" allowed).' }],
} as const satisfies OptionsSchema;

async function readFirstLine(stdin: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (text.includes('\n')) break;
  }
  const newline = text.indexOf('\n');
  return (newline < 0 ? text : text.slice(0, newline)).replace(/\r$/, '');
}

/**
 * The `passwd` command plugin.
 *
 * @example
 * ```ts
 * await passwd.runCommand({ values: { password: 'pw' }, positionals: ['alice'] }, io); // prints alice:$scrypt$…
 * ```
 */
export const passwd: ICommandMaker<typeof schema> = {
  name: 'passwd',
  description: 'Print a USER:HASH line (scrypt) for a password file (--auth file:PATH).',
  options: schema,
  async runCommand(options, io) {
    const user = options.positionals[0] ?? '';
    if (user === '' || user.includes(':') || /\s/.test(user)) {
      throw new UsageError(
        `invalid username ${JSON.stringify(user)}: it must be non-empty without ":" or spaces`,
      );
    }
    let password = options.values.password;
    if (password === undefined) {
      if (io.stdin === undefined)
        throw new UsageError('no --password given and no standard input to read it from');
      password = await readFirstLine(io.stdin);
    }
    if (password === '') throw new UsageError('the password is empty');
    io.stdout.write(`${user}:${await hashPassword(password)}\n`);
    return 0;
  },
};
