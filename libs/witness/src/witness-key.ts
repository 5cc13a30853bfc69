import fs from 'node:fs/promises';
import path from 'node:path';
import { generateCosignerKey, parseCosignerKey, type Cosigner } from '@ledger/integrity';

/**
 * The witness's private key (`PRIVATE+KEY+<name>+<id>+<base64(0x04 ‖ seed)>`) from its key file;
 * with a name, a missing file is generated once (mode 600). Never printed: only its public half.
 */
export async function loadWitnessKey(file: string, nameForNewKey: string | undefined): Promise<{ cosigner: Cosigner; generated: boolean }> {
  try {
    return { cosigner: parseCosignerKey((await fs.readFile(file, 'utf8')).trim()), generated: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`${file} is not a witness key (PRIVATE+KEY+<name>+<hex id>+<base64>): ${(error as Error).message}`, { cause: error });
    }
  }
  if (nameForNewKey === undefined) throw new Error(`no witness key in ${file}: give --name NAME to generate one`);
  await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const key = generateCosignerKey(nameForNewKey);
  try {
    await fs.writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { cosigner: parseCosignerKey((await fs.readFile(file, 'utf8')).trim()), generated: false };
  }
  return { cosigner: parseCosignerKey(key), generated: true };
}
