import { beforeAll, describe, expect, it } from "vitest";
import { array } from "../../src/data/ndarray.js";
import { dtypes } from "../../src/data/dtype.js";
import { DatasetBuilder, GroupBuilder, LinkBuilder, validate, type NamespaceCatalog } from "../../src/schema/index.js";
import { createNwbBuildManager, NWBFile, TimeSeries } from "../../src/nwb/index.js";

let catalog: NamespaceCatalog;
beforeAll(async () => { catalog = (await createNwbBuildManager()).catalog; });

async function validTree(): Promise<GroupBuilder> {
  const f = new NWBFile({ sessionDescription: "s", identifier: "i", sessionStartTime: "2024-01-01T00:00:00+00:00" });
  f.addAcquisition(new TimeSeries({ name: "ts", data: [1, 2, 3], unit: "m", timestamps: [0, 1, 2] }));
  const dev = f.createDevice({ name: "probe" });
  f.createElectrodeGroup({ name: "g", description: "d", location: "CA1", device: dev });
  return (await createNwbBuildManager()).build(f);
}

describe("validate", () => {
  it("passes a valid tree", async () => {
    expect(validate(await validTree(), catalog)).toEqual([]);
  });

  it("flags a TimeSeries without data", async () => {
    const root = await validTree();
    (root.find("acquisition/ts") as GroupBuilder).datasets.delete("data");
    expect(validate(root, catalog)).toEqual([expect.objectContaining({ path: "/acquisition/ts/data", kind: "missing" })]);
  });

  it("flags a float where text is required", async () => {
    const root = await validTree();
    root.datasets.delete("session_description");
    root.add(new DatasetBuilder("session_description", array([1.5]).reshape([]), { dtype: dtypes.float64 }));
    expect(validate(root, catalog)).toEqual([expect.objectContaining({ path: "/session_description", kind: "dtype" })]);
  });

  it("flags a float attribute where text is required", async () => {
    const root = await validTree();
    root.find("acquisition/ts")!.setAttribute("description", 2.5, dtypes.float64);
    expect(validate(root, catalog)).toEqual([expect.objectContaining({ path: "/acquisition/ts/description", kind: "dtype" })]);
  });

  it("flags a wrong-rank dataset", async () => {
    const root = await validTree();
    const ts = root.find("acquisition/ts") as GroupBuilder;
    ts.datasets.delete("timestamps");
    ts.add(new DatasetBuilder("timestamps", array(new Float64Array(6), { shape: [3, 2] })));
    expect(validate(root, catalog)).toEqual([expect.objectContaining({ path: "/acquisition/ts/timestamps", kind: "shape" })]);
  });

  it("flags a missing required attribute and a link to the wrong type", async () => {
    const root = await validTree();
    const group = root.find("general/extracellular_ephys/g") as GroupBuilder;
    group.attributes.delete("location");
    group.links.delete("device");
    group.add(new LinkBuilder("device", root.find("acquisition/ts") as GroupBuilder));
    const errs = validate(root, catalog);
    expect(errs).toEqual(expect.arrayContaining([
      expect.objectContaining({ path: "/general/extracellular_ephys/g/location", kind: "missing" }),
      expect.objectContaining({ path: "/general/extracellular_ephys/g/device", kind: "link-target" }),
    ]));
    expect(errs).toHaveLength(2);
  });

  it("flags a child of the wrong type and an unknown type", async () => {
    const root = await validTree();
    const ts = root.find("acquisition/ts") as GroupBuilder;
    ts.setAttribute("neurodata_type", "NoSuchType");
    expect(validate(root, catalog)).toEqual(expect.arrayContaining([expect.objectContaining({ path: "/acquisition/ts", kind: "unknown-type" })]));
  });
});
