import { describe, expect, it } from "vitest";
import { createDefaultRegistry } from "../../src/codecs/default-registry.js";

/** The definition (HDF5 H5Z_filter_shuffle): byte j of element i goes to j*count + i; a tail is copied. */
function shuffleByDefinition(src: Uint8Array, size: number): Uint8Array {
  const count = Math.floor(src.length / size);
  const out = new Uint8Array(src.length);
  for (let i = 0; i < count; i++) for (let j = 0; j < size; j++) out[j * count + i] = src[i * size + j]!;
  out.set(src.subarray(count * size), count * size);
  return out;
}

describe("byte shuffle (c-blosc SIMD code in the codec wasm core)", () => {
  it("matches the definition for every element size and length, tails included, both ways", async () => {
    const registry = createDefaultRegistry();
    for (const size of [1, 2, 3, 4, 5, 8, 12, 16, 32, 255]) {
      const codec = await registry.resolve({ id: "shuffle", elementsize: size });
      for (const n of [0, 1, size - 1, size, 15, 16, 17, 64, 65, 1000, 4099, 65547]) {
        const src = new Uint8Array(Math.max(0, n));
        for (let i = 0; i < src.length; i++) src[i] = (i * 2654435761 + size) >>> 13;
        const encoded = await codec.encode(src);
        expect(Buffer.from(encoded).equals(shuffleByDefinition(src, size)), `size ${size}, ${n} bytes`).toBe(true);
        expect(Buffer.from(await codec.decode(encoded)).equals(src), `size ${size}, ${n} bytes`).toBe(true);
      }
    }
  });
});
