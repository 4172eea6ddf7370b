// Tells a static ELF executable from a dynamic one (has a PT_INTERP program header):
// a FROM-scratch image has no loader or libc, so only a static busybox works there,
// and Debian's plain `busybox` package installs a dynamic /bin/busybox.

const PT_INTERP = 3;

/** true = static, false = dynamic, undefined = not an ELF file. */
export function isStaticElf(buf: Buffer): boolean | undefined {
  if (buf.length < 64 || buf.readUInt32BE(0) !== 0x7f454c46) return undefined;
  const is64 = buf[4] === 2;
  const le = buf[5] === 1;
  const u16 = (o: number): number => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o: number): number => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const phoff = is64 ? Number(le ? buf.readBigUInt64LE(32) : buf.readBigUInt64BE(32)) : u32(28);
  const phentsize = u16(is64 ? 54 : 42);
  const phnum = u16(is64 ? 56 : 44);
  for (let i = 0; i < phnum; i++) {
    const off = phoff + i * phentsize;
    if (off + 4 > buf.length) return undefined;
    if (u32(off) === PT_INTERP) return false;
  }
  return true;
}
