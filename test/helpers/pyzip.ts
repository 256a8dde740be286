/**
 * Backdoor for zip stores: Python's zipfile (Debian /usr/bin/python3) writes seed zips and
 * reads zips back (with CRC checks), so a ZipStore is never its own witness.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);
const PY = "/usr/bin/python3";

const WRITE = `
import base64, json, sys, zipfile
path = sys.argv[1]
entries = json.load(sys.stdin)
with zipfile.ZipFile(path, "w") as z:
    for i, (name, b64) in enumerate(entries.items()):
        # Alternate STORED and DEFLATED so the reader's inflate path is exercised too.
        z.writestr(name, base64.b64decode(b64), zipfile.ZIP_DEFLATED if i % 2 else zipfile.ZIP_STORED)
`;

const READ = `
import base64, json, os, sys, zipfile
path = sys.argv[1]
if not os.path.exists(path) or os.path.getsize(path) == 0:
    print("{}"); sys.exit(0)
with zipfile.ZipFile(path) as z:
    bad = z.testzip()
    if bad is not None:
        raise SystemExit("CRC mismatch in " + bad)
    names = z.namelist()
    if len(names) != len(set(names)):
        raise SystemExit("duplicate entries")
    print(json.dumps({n: base64.b64encode(z.read(n)).decode() for n in names}))
`;

export async function pyWriteZip(path: string, entries: Iterable<readonly [string, Uint8Array]>): Promise<void> {
  const obj: Record<string, string> = {};
  for (const [k, v] of entries) obj[k] = Buffer.from(v).toString("base64");
  const child = run(PY, ["-c", WRITE, path], { maxBuffer: 1 << 28 });
  child.child.stdin?.end(JSON.stringify(obj));
  await child;
}

export async function pyReadZip(path: string): Promise<Map<string, Uint8Array>> {
  const { stdout } = await run(PY, ["-c", READ, path], { maxBuffer: 1 << 28 });
  const obj = JSON.parse(stdout) as Record<string, string>;
  return new Map(Object.entries(obj).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, "base64"))]));
}
