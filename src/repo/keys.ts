// Key files: random master keys wrapped under a passphrase with scrypt (parameters stored in the file) and
// AES-256-GCM. Several key files can open one repository; adding or removing one never re-encrypts data.
import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { BackdrillError } from '../errors.ts';
import type { MasterKeys } from '../pipeline/envelope.ts';
import { KeyFile, type ScryptParams, WrappedKeys } from './format.ts';

/** scrypt N=2^15, r=8, p=1: about 100 ms and 32 MiB, restic's order of cost. */
export const DEFAULT_KDF = { N: 2 ** 15, r: 8, p: 1 } as const;
/**
 * A cheap KDF for test suites only (BACKDRILL_INSECURE_TEST_KDF=1): a test opening a repository hundreds of
 * times should not spend minutes in scrypt. Never use it for real repositories.
 */
export const TEST_KDF = { N: 2 ** 10, r: 8, p: 1 } as const;

export type KdfCost = { N: number; r: number; p: number };

export function kdfFromEnv(env: NodeJS.ProcessEnv): KdfCost {
  return env.BACKDRILL_INSECURE_TEST_KDF === '1' ? TEST_KDF : DEFAULT_KDF;
}

function derive(password: string, kdf: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(
      Buffer.from(password.normalize('NFC'), 'utf8'),
      Buffer.from(kdf.salt, 'base64'),
      32,
      { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r + 1024 * 1024 },
      (err, key) => (err ? reject(err) : resolve(key)),
    );
  });
}

function aad(kdf: ScryptParams): Buffer {
  // Binds the KDF parameters to the wrapped keys: weakening them in the file breaks authentication.
  return Buffer.from(`backdrill/v1/key/scrypt/${kdf.N}/${kdf.r}/${kdf.p}/${kdf.salt}`, 'utf8');
}

export async function createKeyFile(
  password: string,
  master: MasterKeys,
  repositoryId: string,
  cost: KdfCost = DEFAULT_KDF,
): Promise<KeyFile> {
  if (!master.encryption) throw new Error('an unencrypted repository has no key files');
  if (password.length === 0) {
    throw new BackdrillError('usage', 'an empty password is not allowed', {
      hint: 'set BACKDRILL_PASSWORD, BACKDRILL_PASSWORD_FILE or BACKDRILL_PASSWORD_COMMAND',
    });
  }
  const kdf: ScryptParams = { name: 'scrypt', ...cost, salt: randomBytes(32).toString('base64') };
  const kek = await derive(password, kdf);
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, nonce);
  cipher.setAAD(aad(kdf));
  const plain = Buffer.from(
    JSON.stringify({
      repository: repositoryId,
      encryption: master.encryption.toString('base64'),
      chunkId: master.chunkId.toString('base64'),
    }),
  );
  const data = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return {
    version: 1,
    created: new Date().toISOString(),
    hostname: hostname(),
    username: safeUsername(),
    kdf,
    wrap: { algorithm: 'aes-256-gcm', nonce: nonce.toString('base64'), data: data.toString('base64') },
  };
}

/** Returns the master keys and repository ID, or undefined when the password does not open this key file. */
export async function unwrapKeyFile(
  file: KeyFile,
  password: string,
): Promise<{ keys: MasterKeys; repository: string } | undefined> {
  const kek = await derive(password, file.kdf);
  const blob = Buffer.from(file.wrap.data, 'base64');
  if (blob.length < 17) return undefined;
  const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(file.wrap.nonce, 'base64'));
  decipher.setAAD(aad(file.kdf));
  decipher.setAuthTag(blob.subarray(blob.length - 16));
  let plain: Buffer;
  try {
    plain = Buffer.concat([decipher.update(blob.subarray(0, blob.length - 16)), decipher.final()]);
  } catch {
    return undefined;
  }
  const parsed = WrappedKeys.parse(JSON.parse(plain.toString('utf8')));
  return {
    repository: parsed.repository,
    keys: { encryption: Buffer.from(parsed.encryption, 'base64'), chunkId: Buffer.from(parsed.chunkId, 'base64') },
  };
}

export function parseKeyFile(raw: Buffer, key: string): KeyFile {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new BackdrillError('integrity', `key file ${key} is not valid JSON: it is damaged`, {
      hint: 'open the repository with another key, then `backdrill key remove` the damaged one',
    });
  }
  const r = KeyFile.safeParse(json);
  if (!r.success) {
    throw new BackdrillError('integrity', `key file ${key} is malformed: ${r.error.issues[0]?.message ?? ''}`, {
      hint: 'open the repository with another key, then `backdrill key remove` the damaged one',
    });
  }
  return r.data;
}

export function safeUsername(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
