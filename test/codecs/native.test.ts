/**
 * The native addons (src/codecs/native.ts) against the wasm core: the rewritten streaming zstd
 * frame is the one-shot frame libzstd writes, and with HDMF_TS_NATIVE_CODECS=0 every codec falls
 * back to the wasm core with the same results. (numcodecs decodes the native frames:
 * numcodecs-compat.test.ts.)
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { randomWalk } from "./python.js";

const require = createRequire(import.meta.url);
const mz = require("@mongodb-js/zstd") as { compress(b: Buffer, level: number): Promise<Buffer> };

describe("native codecs", () => {
  it("a rewritten @mongodb-js/zstd frame is a one-shot frame: content size in the header, same blocks", async () => {
    const { withContentSize } = await import("../../src/codecs/native.js");
    const { codecCore } = await import("../../src/codecs/codec-core.js");
    const core = await codecCore();
    for (const [n, level] of [[131072, 3], [200000, 3], [40000, 3]] as const) {
      const data = randomWalk(n, level);
      const streamed = await mz.compress(Buffer.from(data.buffer, data.byteOffset, data.byteLength), level);
      expect(streamed[4], "streaming frame has no content size").toBe(0);
      const frame = withContentSize(streamed, data.length);
      expect(frame).toBeDefined();
      // FHD: single segment, 4-byte content size; then the size; then the streamed blocks unchanged
      expect(frame![4]).toBe(0xa0);
      expect(new DataView(frame!.buffer).getUint32(5, true)).toBe(data.length);
      expect(Buffer.compare(Buffer.from(frame!.subarray(9, 12 + 100)), streamed.subarray(6, 9 + 100))).toBe(0);
      // +4 size bytes, -1 window descriptor, and -3 when an empty last block was dropped
      expect([streamed.length, streamed.length + 3]).toContain(frame!.length);
      expect(Buffer.compare(Buffer.from(core.zstdDecode(frame!)), Buffer.from(data)), `n=${n} level=${level}`).toBe(0);
      // and compresses as well as the wasm core's one-shot libzstd 1.5.7 at that level, within 1 %
      expect(frame!.length / core.zstdEncode(data, level).length).toBeLessThan(1.01);
    }
  });

  it("leaves frames of another shape alone (content size already there, truncated)", async () => {
    const { withContentSize } = await import("../../src/codecs/native.js");
    const { codecCore } = await import("../../src/codecs/codec-core.js");
    const oneShot = (await codecCore()).zstdEncode(randomWalk(1000, 1), 3);
    expect(withContentSize(oneShot, 8000)).toBeUndefined();
    const streamed = await mz.compress(Buffer.from(randomWalk(100000, 2).buffer), 3);
    expect(withContentSize(streamed.subarray(0, streamed.length - 5), 800000)).toBeUndefined();
  });

  it("HDMF_TS_NATIVE_CODECS=0: the wasm core encodes and decodes everything, same bytes back", async () => {
    process.env.HDMF_TS_NATIVE_CODECS = "0";
    const { vi } = await import("vitest");
    vi.resetModules();
    const native = await import("../../src/codecs/native.js");
    const w = await import("../../src/codecs/_wasm.js");
    expect(native.nativeCodecs()).toEqual({ lz4: "wasm", zstd: "wasm" });
    const data = randomWalk(131072, 9);
    expect(Buffer.compare(Buffer.from(await w.zstdDecode(await w.zstdEncode(data, 3))), Buffer.from(data))).toBe(0);
    expect(Buffer.compare(Buffer.from(await w.lz4FramedDecode(await w.lz4FramedEncode(data))), Buffer.from(data))).toBe(0);
    delete process.env.HDMF_TS_NATIVE_CODECS;
    vi.resetModules();
  });
});
