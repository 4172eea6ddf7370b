// A minimal ustar writer for image build contexts. Our own rather than packing a
// directory: it keeps exact modes (/tmp needs 1777; packing applies the umask), stores
// symlinks as symlinks, and is byte-for-byte deterministic (mtime 0, uid 0), so the
// hash of the context is a stable build hash.

export type TarEntry =
  | { type: 'file'; name: string; mode?: number; data: Buffer | string }
  | { type: 'dir'; name: string; mode?: number }
  | { type: 'symlink'; name: string; target: string };

const BLOCK = 512;

export function tarPack(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = e.type === 'file' ? (typeof e.data === 'string' ? Buffer.from(e.data) : e.data) : Buffer.alloc(0);
    const name = e.type === 'dir' && !e.name.endsWith('/') ? `${e.name}/` : e.name;
    const mode = e.type === 'symlink' ? 0o777 : (e.mode ?? (e.type === 'dir' ? 0o755 : 0o644));
    const typeflag = e.type === 'file' ? '0' : e.type === 'dir' ? '5' : '2';
    parts.push(header(name, mode, data.length, typeflag, e.type === 'symlink' ? e.target : ''));
    if (data.length > 0) {
      parts.push(data);
      const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
      if (pad) parts.push(Buffer.alloc(pad));
    }
  }
  parts.push(Buffer.alloc(BLOCK * 2)); // end-of-archive marker
  return Buffer.concat(parts);
}

function header(path: string, mode: number, size: number, typeflag: string, linkname: string): Buffer {
  const h = Buffer.alloc(BLOCK);
  const { name, prefix } = splitName(path);
  if (Buffer.byteLength(linkname) > 100) throw new Error(`tar: link target too long: ${linkname}`);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(mode, 7), 100);
  h.write(octal(0, 7), 108); // uid
  h.write(octal(0, 7), 116); // gid
  h.write(octal(size, 11), 124);
  h.write(octal(0, 11), 136); // mtime
  h.write('        ', 148); // checksum field counts as spaces while summing
  h.write(typeflag, 156);
  h.write(linkname, 157, 100, 'utf8');
  h.write('ustar\u000000', 257);
  h.write('root', 265);
  h.write('root', 297);
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148);
  return h;
}

function octal(n: number, width: number): string {
  const s = n.toString(8);
  if (s.length > width) throw new Error(`tar: value ${n} does not fit`);
  return `${s.padStart(width, '0')}\u0000`;
}

/** ustar keeps up to 100 bytes in name and 155 in prefix, split at a '/'. */
function splitName(path: string): { name: string; prefix: string } {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name !== '') return { name, prefix };
  }
  throw new Error(`tar: path too long: ${path}`);
}
