export { BuildManager, type BuildOptions, type ContainerBuildManager } from "./manager.js";
export { TypeMap, type ContainerClass, type TypeMapOptions } from "./type-map.js";
export { buildContainer, isDatasetSource, type BuildContext } from "./build-mapper.js";
export { Constructor, typeOf } from "./construct-mapper.js";
export { convertValue, specDtypeToDtype, resolveNumeric, isoformat, unwrapScalar, type PlainValue } from "./convert.js";
