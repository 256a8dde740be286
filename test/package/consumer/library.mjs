// The library from plain ESM JavaScript on Node 20: read an NWB file, print what it holds.
import { openNWB } from "hdmf-ts";

const io = await openNWB(process.argv[2], "r");
try {
  const nwbfile = await io.read();
  const data = await io.dataset("/acquisition/test_gzipped_timeseries/data");
  console.log(JSON.stringify({ identifier: nwbfile.identifier, acquisition: [...nwbfile.acquisition.keys()].sort(), shape: data.shape, dtype: data.dtype }));
} finally {
  await io.close();
}
