/**
 * numcodecs Base64: the bytes as standard base64 text (RFC 4648 alphabet, `=` padding), as Python's
 * `base64.standard_b64encode` writes and `standard_b64decode` reads it: characters outside the
 * alphabet are skipped, a wrong length or misplaced padding is an error.
 */
import { BaseCodec, corrupt, type CodecConfig } from "./codec.js";

const OUTSIDE = /[^A-Za-z0-9+/=]/g;

export class Base64Codec extends BaseCodec {
  readonly id = "base64";
  readonly kind = "bytes-bytes" as const;

  static fromConfig(): Base64Codec {
    return new Base64Codec();
  }

  toConfig(): CodecConfig {
    return { id: this.id };
  }

  protected _encode(bytes: Uint8Array): Uint8Array {
    return new Uint8Array(Buffer.from(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64"), "latin1"));
  }

  protected _decode(bytes: Uint8Array): Uint8Array {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1").replace(OUTSIDE, "");
    if (text.length % 4 !== 0 || /=[^=]|={3}/.test(text)) throw corrupt(this.id, "decode", `not base64 (${text.length} characters, or padding inside the text)`);
    return new Uint8Array(Buffer.from(text, "base64"));
  }
}
