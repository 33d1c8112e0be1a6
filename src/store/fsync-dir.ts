import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * Makes a rename or link into `dir` durable: the new directory entry reaches the disk with the
 * directory's own fsync. Some platforms cannot open or fsync a directory; the rename or link is
 * still atomic there, so the failure is not an error.
 */
export async function fsyncDir(dir: string): Promise<void> {
  try {
    const h = await open(dir, constants.O_RDONLY);
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    // See above: atomic without it.
  }
}
