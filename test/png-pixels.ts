/**
 * A minimal PNG reader for tests (8-bit greyscale, RGB or RGBA, non-interlaced: what Chromium's
 * screenshots and resvg write): inflates the IDAT stream and undoes the per-row filters (PNG spec,
 * section 9), returning RGBA pixels.
 */
import { inflateSync } from 'node:zlib';

/** Decoded pixels: rgba[4*(y*width + x) + c]. */
export interface Pixels {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

/** Decodes a PNG (see the file header); throws on anything else. */
export function decodePng(png: Uint8Array): Pixels {
  const buf = Buffer.from(png);
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let pos = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  const idat: Buffer[] = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0) throw new Error(`unsupported PNG: bit depth ${data[8]}, interlace ${data[12]}`);
      colorType = data[9];
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  const channels = colorType === 6 ? 4 : colorType === 2 ? 3 : colorType === 0 ? 1 : colorType === 4 ? 2 : 0;
  if (channels === 0) throw new Error(`unsupported PNG colour type ${colorType}`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[y * stride + x - channels] : 0;
      const b = y > 0 ? out[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? out[(y - 1) * stride + x - channels] : 0;
      let v = row[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[y * stride + x] = v & 255;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let k = 0; k < width * height; k++) {
    const s = k * channels;
    const grey = channels <= 2;
    rgba[4 * k] = out[s];
    rgba[4 * k + 1] = grey ? out[s] : out[s + 1];
    rgba[4 * k + 2] = grey ? out[s] : out[s + 2];
    rgba[4 * k + 3] = channels === 4 ? out[s + 3] : channels === 2 ? out[s + 1] : 255;
  }
  return { width, height, rgba };
}

/** The share of pixels that are not (near) white, and how many pixels are within `tol` of the colour `hex`. */
export function inkAndColour(p: Pixels, hex: string, tol = 12): { ink: number; matches: number } {
  const r = parseInt(hex.slice(1, 3), 16), g = parseInt(hex.slice(3, 5), 16), b = parseInt(hex.slice(5, 7), 16);
  let ink = 0;
  let matches = 0;
  const n = p.width * p.height;
  for (let k = 0; k < n; k++) {
    const R = p.rgba[4 * k], G = p.rgba[4 * k + 1], B = p.rgba[4 * k + 2];
    if (R < 240 || G < 240 || B < 240) ink++;
    if (Math.abs(R - r) <= tol && Math.abs(G - g) <= tol && Math.abs(B - b) <= tol) matches++;
  }
  return { ink: ink / n, matches };
}
