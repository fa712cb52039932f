import { ApiKeyConfigError, createApiKey } from '@learnpath/store';
import { EXIT_OK, EXIT_USAGE, type CliIo } from '../io.js';
import { parseCommandArgs } from './args.js';

const KEYS_USAGE = 'usage: learnpath keys new --name NAME --scopes progress:read,progress:write[,learners:delete] [--format text|json]\n';

/** `learnpath keys new --name NAME --scopes a,b [--format json]`: prints a new key's secret (once) and its configuration entry. */
export async function runKeys(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs('keys', args, { name: { type: 'string' }, scopes: { type: 'string' }, format: { type: 'string', default: 'text' } }, io);
  if (typeof parsed === 'number') return parsed;
  const [sub, ...extra] = parsed.positionals;
  if (sub !== 'new' || extra.length > 0) {
    io.stderr(`learnpath keys: ${sub === undefined ? 'expected a subcommand' : `unknown subcommand "${[sub, ...extra].join(' ')}"`}\n${KEYS_USAGE}`);
    return EXIT_USAGE;
  }
  const { name, scopes, format } = parsed.values;
  if (format !== 'text' && format !== 'json') {
    io.stderr(`learnpath keys new: --format must be text or json, not "${String(format)}"\n`);
    return EXIT_USAGE;
  }
  if (typeof name !== 'string' || typeof scopes !== 'string') {
    io.stderr(`learnpath keys new: --name and --scopes are required\n${KEYS_USAGE}`);
    return EXIT_USAGE;
  }
  let key;
  try {
    key = createApiKey(name, scopes.split(',').map((s) => s.trim()).filter((s) => s !== ''));
  } catch (error) {
    if (!(error instanceof ApiKeyConfigError)) throw error;
    io.stderr(`learnpath keys new: ${error.message}\n`);
    return EXIT_USAGE;
  }
  if (format === 'json') {
    io.stdout(`${JSON.stringify({ name: key.name, scopes: key.scopes, secret: key.secret, entry: key.entry }, null, 2)}\n`);
    return EXIT_OK;
  }
  io.stdout(`name:   ${key.name}\nscopes: ${key.scopes.join(', ')}\nsecret: ${key.secret}\nentry:  ${key.entry}\n`);
  io.stderr(
    'Give the secret to the client now: it is not stored and cannot be shown again.\n' +
      'Add the entry to API_KEYS (entries separated by commas) or to the file named by API_KEYS_FILE (one per line);\n' +
      'remove it from there to revoke the key.\n',
  );
  return EXIT_OK;
}
