/**
 * insightface verification `.bin` files (lfw.bin, cfp_fp.bin, agedb_30.bin, ...): a pickle of the tuple
 * (list of JPEG byte strings, list of issame booleans), pairs stored as consecutive images. This reader
 * understands exactly the opcodes `pickle.dump` emits for that structure (protocols 2–5, Python 2 `str` and
 * Python 3 `bytes`) and rejects anything else with the file name and byte offset. Nothing is executed: the
 * one global allowed is `_codecs.encode`, which Python 3 writes in protocol 2 for bytes (REDUCE of the bytes
 * as a latin-1 string and `'latin1'`), and it is applied here as that latin-1 encoding.
 */
import { readFile } from 'node:fs/promises';

/** Contents of a verification `.bin`: images[2i] and images[2i + 1] form pair i. */
export interface VerificationBin {
  images: Uint8Array[];
  issame: boolean[];
}

const MARK = Symbol('mark');
/** The global `_codecs.encode`, the only callable a pickle may name. */
const CODECS_ENCODE = Symbol('_codecs.encode');
type Value = Uint8Array | boolean | Value[] | { tuple: Value[] } | { text: string } | typeof MARK | typeof CODECS_ENCODE;

const isText = (v: Value | undefined): v is { text: string } => typeof v === 'object' && v !== null && 'text' in v;

/** `_codecs.encode(text, 'latin1')`: the bytes Python 3's protocol 2 pickled; any other call is an error. */
function encodeLatin1(args: Value | undefined, fail: (msg: string) => never): Uint8Array {
  const tuple = typeof args === 'object' && args !== null && 'tuple' in args ? args.tuple : undefined;
  const [text, encoding] = tuple ?? [];
  if (tuple?.length !== 2 || !isText(text) || !isText(encoding)) return fail('_codecs.encode called with other arguments than (str, encoding)');
  if (!['latin1', 'latin-1', 'iso-8859-1'].includes(encoding.text.toLowerCase())) return fail(`_codecs.encode with encoding '${encoding.text}' (only latin1)`);
  const out = new Uint8Array(text.text.length);
  for (let i = 0; i < out.length; i++) {
    const c = text.text.charCodeAt(i);
    if (c > 255) return fail(`_codecs.encode of a character beyond latin-1 (U+${c.toString(16).padStart(4, '0')})`);
    out[i] = c;
  }
  return out;
}

/** Parses the bytes of a verification `.bin`; `source` names it in errors. */
export function parseVerificationBin(bytes: Uint8Array, source = '<bin>'): VerificationBin {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: Value[] = [];
  const memo: Value[] = [];
  let pos = 0;
  const fail = (msg: string, at = pos): never => {
    throw new Error(`${source}: ${msg} at byte offset ${at}; expected a pickle of (list of JPEG bytes, list of bool)`);
  };
  const need = (n: number) => {
    if (pos + n > bytes.length) fail(`truncated pickle (needs ${n} more bytes)`);
  };
  const u8 = () => (need(1), bytes[pos++]!);
  const u32 = () => (need(4), (pos += 4), view.getUint32(pos - 4, true));
  const u64 = () => {
    need(8);
    const v = view.getBigUint64(pos, true);
    pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail('length too large');
    return Number(v);
  };
  const take = (n: number) => (need(n), (pos += n), bytes.subarray(pos - n, pos));
  const line = (): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) fail('truncated pickle (GLOBAL without its newline)');
    if (end - pos > 256) fail('GLOBAL name longer than 256 bytes');
    const text = String.fromCharCode(...bytes.subarray(pos, end));
    pos = end + 1;
    return text;
  };
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const text = (n: number, at: number): { text: string } => {
    try {
      return { text: utf8.decode(take(n)) };
    } catch {
      return fail('BINUNICODE string that is not UTF-8', at);
    }
  };
  const popMark = (): Value[] => {
    const at = stack.lastIndexOf(MARK);
    if (at < 0) fail('no MARK on the stack');
    return stack.splice(at).slice(1);
  };
  const top = (): Value[] => {
    const list = stack[stack.length - 1];
    if (!Array.isArray(list)) fail('APPEND to something that is not a list');
    return list as Value[];
  };
  for (;;) {
    const at = pos;
    const op = u8();
    switch (op) {
      case 0x80: u8(); break; // PROTO n
      case 0x95: u64(); break; // FRAME length
      case 0x5d: stack.push([]); break; // ] EMPTY_LIST
      case 0x29: stack.push({ tuple: [] }); break; // ) EMPTY_TUPLE
      case 0x28: stack.push(MARK); break; // ( MARK
      case 0x61: { const v = stack.pop()!; top().push(v); break; } // a APPEND
      case 0x65: { const vs = popMark(); const list = top(); for (const v of vs) list.push(v); break; } // e APPENDS (no spread: a batch may hold 100 k items)
      case 0x74: stack.push({ tuple: popMark() }); break; // t TUPLE
      case 0x85: stack.push({ tuple: stack.splice(-1) }); break; // TUPLE1
      case 0x86: stack.push({ tuple: stack.splice(-2) }); break; // TUPLE2
      case 0x87: stack.push({ tuple: stack.splice(-3) }); break; // TUPLE3
      case 0x71: memo[u8()] = stack[stack.length - 1]!; break; // q BINPUT
      case 0x72: memo[u32()] = stack[stack.length - 1]!; break; // r LONG_BINPUT
      case 0x94: memo.push(stack[stack.length - 1]!); break; // MEMOIZE
      case 0x68: stack.push(memo[u8()] ?? fail('BINGET of an unknown memo', at)); break; // h BINGET
      case 0x6a: stack.push(memo[u32()] ?? fail('LONG_BINGET of an unknown memo', at)); break; // j LONG_BINGET
      case 0x43: case 0x55: stack.push(take(u8())); break; // C SHORT_BINBYTES, U SHORT_BINSTRING
      case 0x42: case 0x54: stack.push(take(u32())); break; // B BINBYTES, T BINSTRING
      case 0x8e: stack.push(take(u64())); break; // BINBYTES8
      case 0x58: stack.push(text(u32(), at)); break; // X BINUNICODE (the latin-1 text of Python 3 bytes, protocol 2)
      case 0x63: { // c GLOBAL module\nname\n: only _codecs.encode
        const name = `${line()}.${line()}`;
        if (name !== '_codecs.encode') fail(`GLOBAL '${name}' is not allowed (only _codecs.encode)`, at);
        stack.push(CODECS_ENCODE);
        break;
      }
      case 0x52: { // R REDUCE: only _codecs.encode(str, 'latin1')
        const args = stack.pop();
        if (stack.pop() !== CODECS_ENCODE) fail('REDUCE of something other than _codecs.encode', at);
        stack.push(encodeLatin1(args, (msg) => fail(msg, at)));
        break;
      }
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x2e: return toBin(stack, source); // . STOP
      default:
        fail(`unsupported pickle opcode 0x${op.toString(16).padStart(2, '0')} ('${String.fromCharCode(op)}')`, at);
    }
  }
}

function toBin(stack: Value[], source: string): VerificationBin {
  const bad = (what: string): never => {
    throw new Error(`${source}: ${what}; expected a pickle of (list of JPEG bytes, list of bool)`);
  };
  const root = stack[stack.length - 1];
  if (stack.length !== 1 || root === undefined || typeof root !== 'object' || !('tuple' in root) || root.tuple.length !== 2) {
    return bad('the pickle is not a 2-tuple');
  }
  const [images, issame] = root.tuple;
  if (!Array.isArray(images) || !images.every((x) => x instanceof Uint8Array)) return bad('element 0 is not a list of byte strings');
  if (!Array.isArray(issame) || !issame.every((x) => typeof x === 'boolean')) return bad('element 1 is not a list of bools');
  if (images.length !== 2 * issame.length) {
    return bad(`${images.length} images for ${issame.length} pairs (need 2 per pair)`);
  }
  return { images: images as Uint8Array[], issame: issame as boolean[] };
}

/** Reads an insightface verification `.bin` file. */
export async function readVerificationBin(path: string): Promise<VerificationBin> {
  return parseVerificationBin(new Uint8Array(await readFile(path)), path);
}
